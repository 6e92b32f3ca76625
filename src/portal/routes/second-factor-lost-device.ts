import { continueLogin } from '../login-flow.js';
import { seeOther } from '../page.js';
import type { PortalRouter } from '../router.js';
import type { PortalContext } from '../types.js';
import type { FactorKind } from './second-factor-place.js';
import type { StepKit } from './step-kit.js';

export const LOST_DEVICE_PATH = '/login/second-factor/lost-device';

/**
 * In a session opened by a password-reset link (progress.recovery, §2.10), the second-factor page
 * offers `スマートデバイスを紛失した場合` (FAQ Q14): a form (POST with the CSRF token) naming the
 * kind shown. Null outside a recovery, or once the member has said so.
 */
export function lostDeviceLink(ctx: PortalContext, kind: FactorKind): { action: string; kind: FactorKind } | null {
  const progress = ctx.state.session?.state.progress ?? {};
  return progress.recovery && !progress.lostDevice ? { action: LOST_DEVICE_PATH, kind } : null;
}

/**
 * `スマートデバイスを紛失した場合`: records `progress.lostDevice` in the session; the core's
 * nextLoginStep then asks for the birth date and a new factor of that kind, which replaces the old
 * ones (`replaceLost`, DESIGN.md §4 reset vs MFA). Only in a recovery session.
 */
export function lostDeviceRoutes(router: PortalRouter, kit: StepKit): void {
  router.post(LOST_DEVICE_PATH, kit.requireStep('second_factor'), async (ctx) => {
    const session = ctx.state.session!;
    const progress = session.state.progress ?? {};
    const kind = ctx.state.body.kind;
    if (!progress.recovery || (kind !== 'otp' && kind !== 'passkey')) return seeOther(ctx, '/login/second-factor');
    session.state.progress = { ...progress, lostDevice: kind };
    session.dirty = true;
    await continueLogin(ctx, kit.deps);
  });
}
