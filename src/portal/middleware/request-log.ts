import { pooledHex } from '../pooled-random.js';
import type { PortalDeps, PortalMiddleware } from '../types.js';

/**
 * Gives every request an id (shown on the 500 page, sent as X-Request-Id) and logs one line when it
 * ends: method, path without the query string, status, duration. No cookies, bodies or tokens.
 */
export function requestLog(deps: PortalDeps): PortalMiddleware {
  return async (ctx, next) => {
    // performance.now(): monotonic like hrtime, without two BigInts per request.
    const started = performance.now();
    ctx.state.requestId = pooledHex(8);
    ctx.set('X-Request-Id', ctx.state.requestId);
    try {
      await next();
    } finally {
      const ms = performance.now() - started;
      deps.log.info({ msg: 'request', requestId: ctx.state.requestId, method: ctx.method, path: ctx.path.slice(0, 200), status: ctx.status, ms: Math.round(ms * 10) / 10 });
    }
  };
}
