import { isKosmoError, verifyRecoveryCodeLogin } from '../../core/index.js';
import { formFailure } from '../page.js';
import { bounceToLogin, setFlash } from '../session-actions.js';
import { continueLogin } from '../login-flow.js';
import { loginClient } from '../login-client.js';
import { seeOther } from '../page.js';
import type { PortalRouter } from '../router.js';
import type { PortalContext } from '../types.js';
import type { StepKit } from './step-kit.js';

export const RECOVERY_CODE_LOGIN_PATH = '/login/second-factor/recovery-code';

/** The link under the second-factor pages of a login (not of a password reset: that path is unchanged). */
export function recoveryCodeLink(ctx: PortalContext): string | null {
  return ctx.state.session?.state.progress?.recovery ? null : RECOVERY_CODE_LOGIN_PATH;
}

/**
 * リカバリーコードの入力 (issue 13): a recovery code stands in for the second factor once. A wrong,
 * malformed or used code counts towards the lockout like a wrong one-time password; the failure
 * that locks ends the login. After it the member lands on ログイン方法変更 to set up a new factor.
 */
export function recoveryCodeLoginRoutes(router: PortalRouter, kit: StepKit): void {
  const guard = kit.requireStep('second_factor');
  const show = (ctx: PortalContext, errors?: string[], status = 200) =>
    kit.render(ctx, 'recovery-code-login.njk', { pageTitle: 'リカバリーコードの入力', errors, backHref: '/login/second-factor' }, status);

  router.get(RECOVERY_CODE_LOGIN_PATH, guard, (ctx) => show(ctx));

  router.post(RECOVERY_CODE_LOGIN_PATH, guard, async (ctx) => {
    let remaining: number;
    try {
      ({ remaining } = await verifyRecoveryCodeLogin(kit.deps.core, ctx.state.society.id, ctx.state.member!.id, ctx.state.body.code, loginClient(ctx)));
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
}
