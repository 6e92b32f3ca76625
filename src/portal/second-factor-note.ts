import type { PortalContext } from './types.js';

/**
 * Remembers in the session which second factor was just proven (login, first-login set-up or
 * re-authentication), before the step completes: single sign-on reports it as `amr` (RFC 8176).
 */
export function noteSecondFactor(ctx: PortalContext, kind: 'otp' | 'passkey'): void {
  const session = ctx.state.session;
  if (!session) return;
  session.state.progress = { ...(session.state.progress ?? {}), secondFactor: kind };
  session.dirty = true;
}
