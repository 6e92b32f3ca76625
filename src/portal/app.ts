import Koa from 'koa';
import { join } from 'node:path';
import { type CoreContext, KosmoError, parseTrustProxy } from '../core/index.js';
import { jsonLogger } from './logger.js';
import { createRenderer } from './render.js';
import { portalTemplatesDir } from './paths.js';
import { createRouter, type PortalRouter } from './router.js';
import { renderPage } from './page.js';
import { requestLog } from './middleware/request-log.js';
import { securityHeaders } from './middleware/security-headers.js';
import { errorPages } from './middleware/error-pages.js';
import { healthz } from './middleware/healthz.js';
import { staticAssets } from './middleware/static-assets.js';
import { requestFacts } from './middleware/request-facts.js';
import { forwardedHeaders } from './middleware/forwarded-headers.js';
import { bodyParser } from './middleware/body-parser.js';
import { sessions } from './middleware/session.js';
import { csrfProtection } from './middleware/csrf.js';
import { loginState } from './middleware/login-state.js';
import { topRoutes } from './routes/top.js';
import { loginRoutes } from './routes/login.js';
import { birthDateRoutes } from './routes/birth-date.js';
import { termsRoutes } from './routes/terms.js';
import { chooseUserIdRoutes } from './routes/choose-user-id.js';
import { userIdCharactersRoutes } from './routes/user-id-characters.js';
import { initialPasswordRoutes } from './routes/initial-password.js';
import { confirmEmailRoutes } from './routes/confirm-email.js';
import { secondFactorRoutes } from './routes/second-factor.js';
import { stepKit } from './routes/step-kit.js';
import { profileRoutes } from './routes/profile.js';
import { logoutRoutes } from './routes/logout.js';
import { faqRoutes } from './routes/faq.js';
import { loginMethodsRoutes } from './routes/login-methods.js';
import { mySessionsRoutes } from './routes/my-sessions.js';
import { passkeyFirstRoutes } from './routes/passkey-first.js';
import { recoveryCodesRoutes } from './routes/recovery-codes.js';
import { reauthRoutes } from './routes/reauth.js';
import { webauthnBrowserScript } from './middleware/webauthn-script.js';
import { forgotPasswordRoutes } from './routes/forgot-password.js';
import { forgotUserIdRoutes } from './routes/forgot-user-id.js';
import { resetLinkRoutes } from './routes/reset-link.js';
import { redactResetTokens } from './routes/reset-link-redact.js';
import { emailChangeRoutes } from './routes/email-change.js';
import { requestMetrics, type RequestObserver } from './middleware/request-metrics.js';
import { oidcEndpoints } from './oidc/mount.js';
import { oidcInteractionRoutes } from './oidc/interaction-routes.js';
import type { PortalDeps, PortalOptions, PortalState } from './types.js';

export type { PortalOptions } from './types.js';

/** `--metrics-port`: every request is timed by route pattern (server.ts passes the metrics module). */
export interface RequestMetricsOption {
  requestObserver?: RequestObserver | null;
}

/** 256 KiB: room for every field at 10 000 characters of emoji, far below anything that hurts. */
export const DEFAULT_BODY_LIMIT = 256 * 1024;

/**
 * The member portal as a Koa application (no listen: see server.ts). Order matters: request id and
 * security headers wrap everything, so even error pages carry them; /healthz and assets answer
 * before any society or session work; the CSRF check runs before any route; the login state is
 * worked out once and the routes only compare against it.
 */
export function createPortalApp(core: CoreContext, opts: PortalOptions & RequestMetricsOption = {}): Koa<PortalState> {
  const trust = opts.trustProxy === undefined ? { value: core.config.trustProxy } : parseTrustProxy(opts.trustProxy);
  if ('problem' in trust) throw new KosmoError('CONFIG_INVALID', { reason: trust.problem, ...trust.params, from: 'trustProxy' });
  const deps: PortalDeps = {
    core,
    options: {
      publicUrl: opts.publicUrl ? new URL(opts.publicUrl) : null,
      trustProxy: trust.value,
      bodyLimit: opts.bodyLimit ?? DEFAULT_BODY_LIMIT,
    },
    log: redactResetTokens(opts.log ?? jsonLogger()),
    renderer: createRenderer(),
  };
  // Koa reads X-Forwarded-* only with `proxy` on, and only after forwardedHeaders (first of all)
  // has cut them down to what the trusted proxies vouch for.
  const app = new Koa<PortalState>({ proxy: deps.options.trustProxy !== false });
  app.silent = true;

  app.use(forwardedHeaders(deps.options.trustProxy));

  let router: PortalRouter | null = null;
  if (opts.requestObserver) app.use(requestMetrics(opts.requestObserver, () => router));
  app.use(requestLog(deps));
  app.use(securityHeaders());
  app.use(errorPages(deps));
  app.use(healthz(deps));
  app.use(staticAssets(join(portalTemplatesDir(), 'assets')));
  app.use(webauthnBrowserScript());
  app.use(requestFacts(deps));
  // Single sign-on (docs/sso.md): the OpenID Provider's endpoints, before the portal's body parser and CSRF check.
  app.use(oidcEndpoints(deps));
  app.use(bodyParser(deps));
  app.use(sessions(deps));
  app.use(csrfProtection(deps));
  app.use(loginState(deps));

  router = createRouter();
  topRoutes(router, deps);
  loginRoutes(router, deps);
  passkeyFirstRoutes(router, deps);
  birthDateRoutes(router, deps);
  termsRoutes(router, deps);
  chooseUserIdRoutes(router, deps);
  userIdCharactersRoutes(router, deps);
  initialPasswordRoutes(router, deps);
  confirmEmailRoutes(router, deps);
  secondFactorRoutes(router, stepKit(deps));
  profileRoutes(router, deps);
  logoutRoutes(router, deps);
  faqRoutes(router, deps);
  loginMethodsRoutes(router, deps);
  mySessionsRoutes(router, deps);
  recoveryCodesRoutes(router, deps);
  reauthRoutes(router, deps);
  forgotPasswordRoutes(router, deps);
  forgotUserIdRoutes(router, deps);
  resetLinkRoutes(router, deps);
  emailChangeRoutes(router, deps);
  oidcInteractionRoutes(router, deps);
  app.use(router.routes());

  app.use(async (ctx) => {
    if (ctx.body === undefined || ctx.body === null) renderPage(ctx, deps, 'error.njk', { pageTitle: 'ページが見つかりません', message: 'ページが見つかりません。', status: 404 }, 404);
  });
  return app;
}
