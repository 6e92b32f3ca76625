import { confirmEmail } from '../../core/index.js';
import { actingMember } from '../acting-member.js';
import { requireStep } from '../middleware/guards.js';
import { formFailure, renderPage } from '../page.js';
import { continueLogin } from '../login-flow.js';
import type { PortalRouter } from '../router.js';
import type { PortalDeps } from '../types.js';

/**
 * メールアドレスの更新 at first login (SCREENS.md §2.3 step 5): the registered address prefilled;
 * the four messages of the manual, 3 and 4 together for 256 characters or more.
 */
export function confirmEmailRoutes(router: PortalRouter, deps: PortalDeps): void {
  const page = { pageTitle: 'メールアドレスの更新' };
  router.get('/login/email', requireStep(deps, 'email'), async (ctx) => renderPage(ctx, deps, 'email.njk', { ...page, email: ctx.state.member!.email ?? '' }));

  router.post('/login/email', requireStep(deps, 'email'), async (ctx) => {
    const typed = ctx.state.body.email ?? '';
    try {
      await confirmEmail(deps.core, actingMember(ctx), typed);
    } catch (err) {
      const failure = formFailure(err);
      return renderPage(ctx, deps, 'email.njk', { ...page, email: typed, errors: failure.messages }, failure.status);
    }
    await continueLogin(ctx, deps);
  });
}
