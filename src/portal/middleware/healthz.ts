import { databaseReachable } from '../../core/index.js';
import type { PortalDeps, PortalMiddleware } from '../types.js';

/**
 * `/healthz` for load balancers and process managers: answers before society and session handling
 * (no cookie is read or set, no session row touched), with one trivial query to show the database
 * answers.
 */
export function healthz(deps: PortalDeps): PortalMiddleware {
  return async (ctx, next) => {
    if (ctx.path !== '/healthz' || (ctx.method !== 'GET' && ctx.method !== 'HEAD')) return next();
    ctx.set('Cache-Control', 'no-store');
    try {
      await databaseReachable(deps.core);
      ctx.status = 200;
      ctx.body = { status: 'ok' };
    } catch {
      ctx.status = 503;
      ctx.body = { status: 'unavailable' };
    }
  };
}
