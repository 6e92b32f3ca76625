import { changeUserId } from '../../core/index.js';
import { actingMember } from '../acting-member.js';
import { requireAuthenticated } from '../middleware/guards.js';
import { requireRecentAuth } from '../middleware/require-recent-auth.js';
import { formFailure, renderPage, seeOther } from '../page.js';
import { setFlash } from '../session-actions.js';
import type { PortalContext, PortalDeps } from '../types.js';
import type { PortalRouter } from '../router.js';

function view(ctx: PortalContext) {
  const m = ctx.state.member!;
  return { pageTitle: 'プロフィール変更', name: m.name, currentUserId: m.userId, email: m.email ?? null };
}

/**
 * プロフィール変更 (SCREENS.md §2.7, manual 3-1): the name read-only (FAQ Q13: staff change it),
 * the user ID with `変更` under the same rules as at first login, the email shown (its change
 * comes with the mail issue). `ポータルに戻る` leads back to the top page.
 */
export function profileRoutes(router: PortalRouter, deps: PortalDeps): void {
  router.get('/profile', requireAuthenticated(deps), async (ctx) => {
    // Back from a re-authentication (below), the user ID the member had typed is filled in again.
    const typed = typeof ctx.query.userId === 'string' ? ctx.query.userId.slice(0, 64) : null;
    renderPage(ctx, deps, 'profile.njk', { ...view(ctx), userId: typed ?? ctx.state.member!.userId });
  });

  // A user ID change is a sensitive action (§2.9): older than 5 minutes, re-authenticate first and
  // come back to the profile with the typed ID filled in (then `変更` again).
  const recentAuth = requireRecentAuth(deps, { returnTo: (ctx) => `/profile?userId=${encodeURIComponent((ctx.state.body.userId ?? '').slice(0, 32))}` });
  router.post('/profile/user-id', recentAuth, async (ctx) => {
    const typed = ctx.state.body.userId ?? '';
    try {
      await changeUserId(deps.core, actingMember(ctx), typed);
    } catch (err) {
      const failure = formFailure(err);
      return renderPage(ctx, deps, 'profile.njk', { ...view(ctx), userId: typed, errors: failure.messages }, failure.status);
    }
    setFlash(ctx, 'ユーザIDを変更しました。');
    seeOther(ctx, '/profile');
  });
}
