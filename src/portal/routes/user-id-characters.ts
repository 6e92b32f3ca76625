import { renderPage } from '../page.js';
import { USER_ID_MAX, USER_ID_MIN } from '../../core/index.js';
import type { PortalRouter } from '../router.js';
import type { PortalDeps } from '../types.js';

/** Printable ASCII symbols other than the four a user ID may hold (manual 2-1 ⑦). */
const NOT_ALLOWED_SYMBOLS = [...'!"#$%&\'()*+,/:;<=>?[\\]^`{|}~'];

/** 利用不可文字一覧 (SCREENS.md §2.3 step 3): which characters a user ID may and may not hold. */
export function userIdCharactersRoutes(router: PortalRouter, deps: PortalDeps): void {
  router.get('/user-id/characters', async (ctx) =>
    renderPage(ctx, deps, 'user-id-characters.njk', { pageTitle: '利用不可文字一覧', min: USER_ID_MIN, max: USER_ID_MAX, notAllowedSymbols: NOT_ALLOWED_SYMBOLS }),
  );
}
