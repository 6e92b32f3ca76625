import { loadSession, saveSessionState } from '../../core/index.js';
import { readCookie, sessionCookieName } from '../cookies.js';
import { clearSessionCookie } from '../session-actions.js';
import type { PortalDeps, PortalMiddleware } from '../types.js';

/**
 * Loads the server-side session named by the cookie (idle and absolute limits enforced by the core)
 * and saves its state after the request if a handler changed it. An unknown or expired cookie is
 * cleared; an expired member session is remembered so the login page can say why.
 */
export function sessions(deps: PortalDeps): PortalMiddleware {
  return async (ctx, next) => {
    const token = readCookie(ctx, sessionCookieName(ctx.state.secure));
    if (token !== undefined) {
      const loaded = await loadSession(deps.core, ctx.state.society.id, token);
      if (loaded.status === 'valid') {
        ctx.state.session = { row: loaded.session, state: loaded.session.state ?? {}, dirty: false, member: loaded.member };
      } else {
        clearSessionCookie(ctx);
        ctx.state.sessionExpired = loaded.status === 'expired' && loaded.hadMember;
      }
    }
    await next();
    const s = ctx.state.session;
    if (s?.dirty) await saveSessionState(deps.core, s.row.id, s.row.tokenHash, s.state);
  };
}
