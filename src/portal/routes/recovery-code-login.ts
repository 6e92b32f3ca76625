import { isKosmoError, verifyRecoveryCodeLogin } from '../../core/index.js';
import { actingMember } from '../acting-member.js';
import { formFailure } from '../page.js';
import { bounceToLogin, setFlash } from '../session-actions.js';
import { continueLogin } from '../login-flow.js';
import { loginClient } from '../login-client.js';
import { seeOther } from '../page.js';
import type { PortalRouter } from '../router.js';
import type { PortalContext, PortalMiddleware } from '../types.js';
import type { StepKit } from './step-kit.js';

export const RECOVERY_CODE_LOGIN_PATH = '/login/second-factor/recovery-code';
/** The lost-device path's recovery-code step (`recoveryCodes.lostDevice: require`). */
export const LOST_DEVICE_RECOVERY_CODE_PATH = '/login/recovery-code';

/**
 * The link under the second-factor pages: always in a login; in a password reset only when the
 * society's `recoveryCodes.lostDevice` is `accept` or `require` (else that path is as before).
 */
export function recoveryCodeLink(ctx: PortalContext): string | null {
  if (!ctx.state.session?.state.progress?.recovery) return RECOVERY_CODE_LOGIN_PATH;
  return (ctx.state.society.settings.recoveryCodes?.lostDevice ?? 'off') === 'off' ? null : RECOVERY_CODE_LOGIN_PATH;
}

/**
 * リカバリーコードの入力 (issue 13): a recovery code stands in for the second factor once. A wrong,
 * malformed or used code counts towards the lockout like a wrong one-time password; the failure
 * that locks ends the login. After it the member lands on ログイン方法変更 to set up a new factor.
 */
export function recoveryCodeLoginRoutes(router: PortalRouter, kit: StepKit): void {
  const guard = kit.requireStep('second_factor');
  const show = (ctx: PortalContext, errors?: string[], status = 200) =>
    kit.render(ctx, 'recovery-code-login.njk', { pageTitle: 'リカバリーコードの入力', errors, action: RECOVERY_CODE_LOGIN_PATH, backHref: '/login/second-factor' }, status);

  // In a password reset whose society keeps recovery codes out of it (`off`), the page is not there.
  const allowedHere: PortalMiddleware = (ctx, next) => (recoveryCodeLink(ctx) ? next() : seeOther(ctx, '/login/second-factor'));
  router.get(RECOVERY_CODE_LOGIN_PATH, guard, allowedHere, (ctx) => show(ctx));

  router.post(RECOVERY_CODE_LOGIN_PATH, guard, allowedHere, async (ctx) => {
    let remaining: number;
    try {
      ({ remaining } = await verifyRecoveryCodeLogin(kit.deps.core, actingMember(ctx), ctx.state.body.code, loginClient(ctx)));
    } catch (err) {
      if (isKosmoError(err, 'ACCOUNT_LOCKED')) return bounceToLogin(ctx, kit.deps, 'ACCOUNT_LOCKED');
      const failure = formFailure(err);
      return show(ctx, failure.messages, failure.status);
    }
    await continueLogin(ctx, kit.deps, 'secondFactorVerified');
    // Signed in: on to set up a new second factor (the one at hand was not used).
    if (ctx.state.step === 'done') {
      setFlash(ctx, `リカバリーコードでログインしました(残り${remaining}個)。新しい二要素認証を設定し、使えなくなった端末を削除してください。`);
      seeOther(ctx, '/login-methods');
    }
  });

  // The lost-device path of a reset, where the society requires a code after the birth date.
  const lostGuard = kit.requireStep('recovery_code');
  const showLost = (ctx: PortalContext, errors?: string[], status = 200) =>
    kit.render(ctx, 'recovery-code-login.njk', { pageTitle: 'リカバリーコードの入力', errors, action: LOST_DEVICE_RECOVERY_CODE_PATH, lostDevicePath: true }, status);
  router.get(LOST_DEVICE_RECOVERY_CODE_PATH, lostGuard, (ctx) => showLost(ctx));
  router.post(LOST_DEVICE_RECOVERY_CODE_PATH, lostGuard, async (ctx) => {
    try {
      await verifyRecoveryCodeLogin(kit.deps.core, actingMember(ctx), ctx.state.body.code, loginClient(ctx));
    } catch (err) {
      if (isKosmoError(err, 'ACCOUNT_LOCKED')) return bounceToLogin(ctx, kit.deps, 'ACCOUNT_LOCKED');
      const failure = formFailure(err);
      return showLost(ctx, failure.messages, failure.status);
    }
    await continueLogin(ctx, kit.deps, 'recoveryCodeVerified');
  });
}
