import { KosmoError, societyForHost } from '../../core/index.js';
import type { PortalDeps, PortalMiddleware } from '../types.js';

/**
 * Who the request is for and how it arrived: the society by host name (SCREENS.md §1), whether it
 * came over HTTPS (the public URL says so, or a trusted proxy's X-Forwarded-Proto), the origin a
 * same-site form carries, and the client address (X-Forwarded-For only behind a trusted proxy).
 */
export function requestFacts(deps: PortalDeps): PortalMiddleware {
  const publicHttps = deps.options.publicUrl?.protocol === 'https:';
  return async (ctx, next) => {
    // ctx.protocol, ctx.host and ctx.ip read X-Forwarded-* only as forwardedHeaders left them.
    ctx.state.secure = publicHttps || (deps.options.trustProxy !== false && ctx.protocol === 'https');
    ctx.state.origin = `${ctx.state.secure ? 'https' : 'http'}://${ctx.host}`;
    const ip = ctx.ip || null;
    ctx.state.ip = ip ? ip.replace(/^::ffff:/, '').slice(0, 64) : null;
    ctx.state.session = null;
    ctx.state.sessionExpired = false;
    ctx.state.member = null;
    ctx.state.step = null;
    ctx.state.body = Object.create(null) as Record<string, string>;
    const society = ctx.hostname ? await societyForHost(deps.core, ctx.hostname) : null;
    if (!society) throw new KosmoError('SOCIETY_NOT_FOUND');
    ctx.state.society = society;
    await next();
  };
}

/** The origins a form of this portal may be posted from (OWASP CSRF CS "Identifying the target origin"). */
export function allowedOrigins(deps: PortalDeps, origin: string, societyPublicUrl: string | null): string[] {
  const list = [origin];
  if (deps.options.publicUrl) list.push(deps.options.publicUrl.origin);
  if (societyPublicUrl) {
    try {
      list.push(new URL(societyPublicUrl).origin);
    } catch {
      // a malformed setting adds nothing
    }
  }
  return list;
}
