import { verifyBirthDate, isKosmoError } from '../../core/index.js';
import { actingMember } from '../acting-member.js';
import { requireStep } from '../middleware/guards.js';
import { formFailure, renderPage } from '../page.js';
import { bounceToLogin } from '../session-actions.js';
import { continueLogin } from '../login-flow.js';
import type { PortalRouter } from '../router.js';
import type { PortalContext, PortalDeps } from '../types.js';

/**
 * 生年月日の入力 (SCREENS.md §2.3 step 1). A wrong date counts towards the lock like a wrong
 * password; the failure that locks the account ends the login with the generic message.
 */
export function birthDateRoutes(router: PortalRouter, deps: PortalDeps): void {
  // The same check guards first login, a lost device after a reset, and a member whose devices
  // staff removed: only the first says 初回ログイン時.
  const pageFor = (ctx: PortalContext) => ({ pageTitle: '生年月日の入力', firstLogin: ctx.state.member?.status === 'provisional' });
  router.get('/login/birth-date', requireStep(deps, 'birth_date'), async (ctx) => renderPage(ctx, deps, 'birth-date.njk', { ...pageFor(ctx), birthDate: '' }));

  router.post('/login/birth-date', requireStep(deps, 'birth_date'), async (ctx) => {
    const typed = ctx.state.body.birthDate ?? '';
    try {
      await verifyBirthDate(deps.core, actingMember(ctx), typed);
    } catch (err) {
      if (isKosmoError(err, 'ACCOUNT_LOCKED')) return bounceToLogin(ctx, deps, 'ACCOUNT_LOCKED');
      const failure = formFailure(err);
      return renderPage(ctx, deps, 'birth-date.njk', { ...pageFor(ctx), birthDate: typed, errors: failure.messages }, failure.status);
    }
    await continueLogin(ctx, deps, 'birthDateVerified');
  });
}
