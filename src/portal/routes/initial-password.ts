import { setInitialPassword } from '../../core/index.js';
import { actingMember } from '../acting-member.js';
import { requireStep } from '../middleware/guards.js';
import { formFailure, renderPage } from '../page.js';
import { continueLogin } from '../login-flow.js';
import type { PortalDeps } from '../types.js';
import type { PortalRouter } from '../router.js';
import { inPasswordRecovery, showResetPassword, submitResetPassword } from './reset-link-password.js';
import { policyView } from './password-policy-view.js';

/** The society's password policy as shown under the form (manual 2-1 ⑧, FAQ Q7). */
/**
 * パスワードの更新 at first login (SCREENS.md §2.3 step 4). Passwords are never echoed back into
 * the form after an error, and never logged. The same step after a reset link (§2.10) is the
 * recovery variant of reset-link-password.ts.
 */
export function initialPasswordRoutes(router: PortalRouter, deps: PortalDeps): void {
  const page = { pageTitle: 'パスワードの更新' };
  router.get('/login/password', requireStep(deps, 'password'), async (ctx) => {
    if (inPasswordRecovery(ctx)) return showResetPassword(ctx, deps);
    renderPage(ctx, deps, 'password.njk', { ...page, policy: policyView(ctx) });
  });

  router.post('/login/password', requireStep(deps, 'password'), async (ctx) => {
    if (inPasswordRecovery(ctx)) return submitResetPassword(ctx, deps);
    const body = ctx.state.body;
    try {
      await setInitialPassword(deps.core, actingMember(ctx), { password: body.password, confirm: body.passwordConfirm });
    } catch (err) {
      const failure = formFailure(err);
      return renderPage(ctx, deps, 'password.njk', { ...page, policy: policyView(ctx), errors: failure.messages, invalid: failure.invalid }, failure.status);
    }
    await continueLogin(ctx, deps);
  });
}
