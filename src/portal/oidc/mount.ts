import type Koa from 'koa';
import { actingMember } from '../acting-member.js';
import { renderPage } from '../page.js';
import { endSession } from '../session-actions.js';
import { sessions } from '../middleware/session.js';
import { loginState } from '../middleware/login-state.js';
import type { PortalContext, PortalDeps, PortalMiddleware } from '../types.js';
import { endedOidcSession, providerFor } from './provider.js';
import { isProviderPath } from './paths.js';
import { continuePage } from './continue-page.js';

type Mw = (ctx: PortalContext, next: () => Promise<unknown>) => unknown;

function compose(middleware: Mw[]): (ctx: PortalContext) => Promise<void> {
  return (ctx) => {
    const dispatch = async (i: number): Promise<void> => {
      const fn = middleware[i];
      if (fn) await fn(ctx, () => dispatch(i + 1));
    };
    return dispatch(0);
  };
}

/**
 * Runs the provider's own Koa middleware on this request (what koa-mount does at the root): the
 * provider sees the portal's context — society, session, login state, CSP — so its checks and
 * pages are the portal's. Its app stands in for the portal's while it runs (its cookie keys,
 * proxy setting).
 */
async function runProvider(ctx: PortalContext, provider: Koa): Promise<void> {
  const own = ctx.app;
  const swap = (app: Koa) => {
    (ctx as { app: Koa }).app = app;
    (ctx.request as { app: Koa }).app = app;
    (ctx.response as { app: Koa }).app = app;
  };
  swap(provider);
  try {
    await compose(provider.middleware as unknown as Mw[])(ctx);
  } finally {
    swap(own);
  }
}

/**
 * The OpenID Provider's endpoints (discovery, authorization, token, JWKS, userinfo, logout) inside
 * the portal, before the portal's body parser and CSRF check: the provider reads its own bodies
 * and authenticates its own requests (client authentication, PKCE, its logout form's xsrf). The
 * portal session and login state are loaded first, for its login check and logout page.
 * After a confirmed RP-initiated logout the portal session ends too, and the way back to the
 * service is a page of its own (a redirect would be refused by CSP form-action after the form post).
 */
export function oidcEndpoints(deps: PortalDeps): PortalMiddleware {
  const withSession = sessions(deps);
  const withLogin = loginState(deps);
  return async (ctx, next) => {
    if (!isProviderPath(ctx.path)) return next();
    const provider = await providerFor(ctx, deps);
    if (!provider) return renderPage(ctx, deps, 'error.njk', { message: 'ページが見つかりません。', status: 404 }, 404);
    await withSession(ctx, () =>
      withLogin(ctx, async () => {
        await runProvider(ctx, provider);
        if (endedOidcSession(ctx)) {
          const member = ctx.state.member;
          if (ctx.state.session) await endSession(ctx, deps, member ? actingMember(ctx) : null);
          const location = ctx.response.get('Location');
          if (location) continuePage(ctx, deps, location, 'ログアウトしました');
        }
      }),
    );
  };
}
