import { dateTimeJapan, destroyOtherSessions, endMemberSession, listMemberSessions, KosmoError } from '../../core/index.js';
import { actingMember } from '../acting-member.js';
import { requireAuthenticated } from '../middleware/guards.js';
import { requireRecentAuth } from '../middleware/require-recent-auth.js';
import { renderPage, seeOther } from '../page.js';
import { endSession, setFlash } from '../session-actions.js';
import type { PortalRouter } from '../router.js';
import type { PortalDeps } from '../types.js';

export const MY_SESSIONS_PATH = '/login-methods/sessions';

/**
 * ログイン中の端末 (issue 13), under ログイン方法変更: the member's signed-in browsers — browser and
 * OS, the address it signed in from, when, last activity, `ログイン状態の保存` or not, `この端末` on
 * the current one — with `ログアウト` for each other one and `他の端末をすべてログアウト`.
 * Viewing needs no re-authentication; ending sessions does (§2.9, as every sensitive change).
 */
export function mySessionsRoutes(router: PortalRouter, deps: PortalDeps): void {
  const recent = requireRecentAuth(deps, { returnTo: MY_SESSIONS_PATH });

  router.get(MY_SESSIONS_PATH, requireAuthenticated(deps), async (ctx) => {
    const sessions = await listMemberSessions(deps.core, actingMember(ctx), ctx.state.session!.row.id);
    renderPage(ctx, deps, 'my-sessions.njk', {
      pageTitle: 'ログイン中の端末',
      sessions: sessions.map((s) => ({ ...s, signedInAt: dateTimeJapan(s.signedInAt), lastActiveAt: dateTimeJapan(s.lastActiveAt), ip: s.ip ?? '不明' })),
      others: sessions.filter((s) => !s.current).length,
    });
  });

  router.post(`${MY_SESSIONS_PATH}/others/logout`, recent, async (ctx) => {
    const count = await destroyOtherSessions(deps.core, actingMember(ctx), { keepSessionId: ctx.state.session!.row.id });
    setFlash(ctx, count > 0 ? `他の端末(${count}台)をログアウトしました。` : 'ログアウトする他の端末はありません。');
    seeOther(ctx, MY_SESSIONS_PATH);
  });

  router.post(`${MY_SESSIONS_PATH}/:id/logout`, recent, async (ctx) => {
    if (!/^\d{1,12}$/.test(ctx.params.id ?? '')) throw new KosmoError('NOT_FOUND');
    const id = Number(ctx.params.id);
    const acting = actingMember(ctx);
    // This browser's own session: the ordinary logout (its cookie is cleared too).
    if (id === ctx.state.session!.row.id) {
      await endSession(ctx, deps, acting);
      return seeOther(ctx, '/');
    }
    try {
      await endMemberSession(deps.core, acting, { sessionId: id });
      setFlash(ctx, '選択した端末をログアウトしました。');
    } catch (err) {
      if (!(err instanceof KosmoError) || err.code !== 'SESSION_NOT_FOUND') throw err;
      setFlash(ctx, err.memberMessage, 'error');
    }
    seeOther(ctx, MY_SESSIONS_PATH);
  });
}
