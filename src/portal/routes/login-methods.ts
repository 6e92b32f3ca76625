import { requireAuthenticated } from '../middleware/guards.js';
import { renderPage } from '../page.js';
import type { PortalRouter } from '../router.js';
import type { PortalDeps } from '../types.js';

/**
 * ログイン方法変更 (SCREENS.md §2.8) is built with the second-factor issue; the menu already links
 * here, so until then the page says it is in preparation.
 */
export function loginMethodsRoutes(router: PortalRouter, deps: PortalDeps): void {
  router.get('/login-methods', requireAuthenticated(deps), async (ctx) => renderPage(ctx, deps, 'coming-soon.njk', { pageTitle: 'ログイン方法変更' }));
}
