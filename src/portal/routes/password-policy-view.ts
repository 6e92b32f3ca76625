import { PRINTABLE_ASCII } from '../../core/index.js';
import type { PortalContext } from '../types.js';

/** The society's password policy as the password pages list it (partials/password-policy.njk). */
export function policyView(ctx: PortalContext) {
  const p = ctx.state.society.settings.password;
  return { min: p.minLength, max: p.maxLength, allowed: p.allowedChars === PRINTABLE_ASCII ? null : p.allowedChars, symbols: PRINTABLE_ASCII.replace(/[A-Za-z0-9]/g, '') };
}
