import { forwardedClientResolver, forwardedValue, type TrustProxy } from '../../core/index.js';
import type { PortalMiddleware } from '../types.js';

/**
 * `--trust-proxy` (core/trust-proxy.ts): first thing on every request, X-Forwarded-For, -Proto and
 * -Host are cut down to the one value the trusted proxies vouch for — the client address walking
 * from the right, and the proto / host at the same position — or removed when the socket peer is
 * not trusted. Koa (`app.proxy` on) then reads only those: `ctx.ip`, `ctx.protocol`, `ctx.host` and
 * `ctx.hostname` mean the same thing everywhere. Koa alone would take the leftmost entry of each,
 * the one the client writes (its `maxIpsCount` counts from the right, but only for the address and
 * only as a hop count).
 */
export function forwardedHeaders(trust: TrustProxy): PortalMiddleware {
  if (trust === false) return (_ctx, next) => next();
  const resolve = forwardedClientResolver(trust);
  return async (ctx, next) => {
    const headers = ctx.req.headers;
    const { client, hops } = resolve(ctx.req.socket.remoteAddress ?? '', headers['x-forwarded-for']);
    headers['x-forwarded-for'] = client;
    const proto = forwardedValue(headers['x-forwarded-proto'], hops)?.toLowerCase();
    if (proto === 'https' || proto === 'http') headers['x-forwarded-proto'] = proto;
    else delete headers['x-forwarded-proto'];
    const host = forwardedValue(headers['x-forwarded-host'], hops);
    if (host !== undefined) headers['x-forwarded-host'] = host;
    else delete headers['x-forwarded-host'];
    await next();
  };
}
