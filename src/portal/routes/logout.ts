import { actingMember } from '../acting-member.js';
import { requireMember } from '../middleware/guards.js';
import { renderPage, seeOther } from '../page.js';
import { endSession } from '../session-actions.js';
import type { PortalRouter } from '../router.js';
import type { PortalDeps } from '../types.js';

/**
 * ログアウト (SCREENS.md §2.4): the name top right leads to `ログアウトしてもよろしいですか?`;
 * `ログアウトする` (a POST with the CSRF token: no state change on GET) deletes the session row,
 * so the old cookie is worthless, and the top page shows `ログイン` again.
 */
export function logoutRoutes(router: PortalRouter, deps: PortalDeps): void {
  router.get('/logout', requireMember(deps), async (ctx) => renderPage(ctx, deps, 'logout.njk', { pageTitle: 'ログアウト' }));

  router.post('/logout', requireMember(deps), async (ctx) => {
    await endSession(ctx, deps, actingMember(ctx));
    seeOther(ctx, '/');
  });
}
