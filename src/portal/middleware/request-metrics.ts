import type { PortalContext, PortalMiddleware } from '../types.js';
import type { PortalRouter } from '../router.js';

/** Receives one finished request (the metrics module turns it into a histogram sample). */
export interface RequestObserver {
  /**
   * `route` is a route pattern (`/password/reset/:token`), `/healthz`, `/assets/*` or `unmatched`:
   * never the raw path, which may carry a token. `method` is one of a fixed set or `other`.
   */
  observeRequest(route: string, method: string, status: number, seconds: number): void;
}

const METHODS = new Set(['GET', 'HEAD', 'POST', 'PUT', 'PATCH', 'DELETE', 'OPTIONS']);

/**
 * The route a request belongs to, as a pattern: the route @koa/router matched; for a request
 * answered before the router (a failed CSRF check, /healthz, assets) the route the router would
 * have chosen; else `unmatched`.
 */
export function routeLabel(ctx: PortalContext, router: PortalRouter | null): string {
  const matched = (ctx as { _matchedRoute?: string | RegExp })._matchedRoute;
  if (typeof matched === 'string') return matched;
  if (ctx.path === '/healthz') return '/healthz';
  if (ctx.path.startsWith('/assets/')) return '/assets/*';
  const layer = router
    ?.match(ctx.path, ctx.method)
    .pathAndMethod.filter((l) => l.methods.length > 0)
    .at(-1);
  return typeof layer?.path === 'string' ? layer.path : 'unmatched';
}

/**
 * Times every request (registered before the request log and the error pages, so those count too)
 * and reports it with its route pattern. `router` is read at request time: the app creates the
 * router after the middleware.
 */
export function requestMetrics(observer: RequestObserver, router: () => PortalRouter | null): PortalMiddleware {
  return async (ctx, next) => {
    // The same monotonic clock as the request log (request-log.ts).
    const started = performance.now();
    let status: number | null = null;
    try {
      await next();
    } catch (err) {
      const s = Number((err as { status?: unknown })?.status);
      status = s >= 400 && s < 600 ? s : 500;
      throw err;
    } finally {
      const seconds = (performance.now() - started) / 1000;
      try {
        observer.observeRequest(routeLabel(ctx, router()), METHODS.has(ctx.method) ? ctx.method : 'other', status ?? ctx.status, seconds);
      } catch {
        // Metrics never break a response.
      }
    }
  };
}
