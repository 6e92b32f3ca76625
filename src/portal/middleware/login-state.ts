import { advanceLogin, loginSessionOf, loginStatus } from '../../core/index.js';
import { adoptRenewedSession, bounceToLogin, endSession } from '../session-actions.js';
import type { PortalDeps, PortalMiddleware } from '../types.js';
import { loginClient, setDeviceCookie } from '../login-client.js';
import { actingMemberOf } from '../acting-member.js';

/**
 * Where a member's session stands, once per request, from the core's `loginStatus` (the single
 * place that decides the next page). Routes only compare against `ctx.state.step`, so no step can
 * be skipped by typing a URL. A login still in its steps ends as soon as the account is locked,
 * throttled or disabled.
 */
export function loginState(deps: PortalDeps): PortalMiddleware {
  return async (ctx, next) => {
    const session = ctx.state.session;
    const memberRef = session?.row.member;
    if (!session || !memberRef) return next();
    // The browser (device cookie) matters only in the login's steps: the signed-in page view skips it.
    const client = session.state.stage === 'authenticated' ? undefined : loginClient(ctx);
    const acting = actingMemberOf(ctx, memberRef.id);
    const status = await loginStatus(deps.core, acting, { state: session.state, loaded: session.member, client });
    if (status.state === 'ended') {
      await endSession(ctx, deps, null);
      return next();
    }
    ctx.state.member = status.member;
    if (status.state === 'blocked') return bounceToLogin(ctx, deps, 'INVALID_CREDENTIALS');
    ctx.state.step = status.step;
    // Normally the POST of the last step completes the login; this covers a session whose steps
    // were finished by something else (e.g. staff actions between two requests).
    if (status.step === 'done' && session.state.stage !== 'authenticated') {
      const advance = await advanceLogin(deps.core, acting, { session: loginSessionOf(session.row, session.state), client: loginClient(ctx) });
      if (advance.renewed) adoptRenewedSession(ctx, deps, advance.renewed);
      setDeviceCookie(ctx, advance.deviceToken);
    }
    await next();
  };
}
