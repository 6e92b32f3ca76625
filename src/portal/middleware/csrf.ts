import { timingSafeEqual } from 'node:crypto';
import { KosmoError } from '../../core/index.js';
import { renderPage } from '../page.js';
import { bounceToLogin } from '../session-actions.js';
import { allowedOrigins } from './request-facts.js';
import type { PortalDeps, PortalMiddleware } from '../types.js';

const SAFE = new Set(['GET', 'HEAD', 'OPTIONS']);

function sameToken(a: string, b: string): boolean {
  const x = Buffer.from(a);
  const y = Buffer.from(b);
  return x.length === y.length && timingSafeEqual(x, y);
}

/**
 * CSRF defence for every state-changing request (ASVS 3.5.1–3.5.3; OWASP CSRF Prevention CS):
 * 1. the browser's own word on where the form came from: Origin must be this portal's origin, or,
 *    where a browser sends no (or a `null`) Origin, Sec-Fetch-Site must be `same-origin`;
 * 2. the per-session token from the form (`_csrf`, or the X-CSRF-Token header for scripts) must
 *    match the session's, compared in constant time.
 * GET never changes state, so only unsafe methods are checked.
 */
export function csrfProtection(deps: PortalDeps): PortalMiddleware {
  return async (ctx, next) => {
    if (SAFE.has(ctx.method)) return next();
    const refuse = (reason: string) => {
      deps.log.info({ msg: 'csrf refused', requestId: ctx.state.requestId, reason, path: ctx.path.slice(0, 200) });
      renderPage(ctx, deps, 'error.njk', { message: new KosmoError('CSRF_FAILED').memberMessage, status: 403 }, 403);
    };
    const origin = ctx.get('origin');
    const site = ctx.get('sec-fetch-site');
    if (origin && origin !== 'null') {
      if (!allowedOrigins(deps, ctx.state.origin, ctx.state.society.settings.publicUrl).includes(origin)) return refuse('origin');
    } else if (origin === 'null') {
      // Browsers send `Origin: null` for a same-origin form on a page with Referrer-Policy
      // no-referrer (Fetch §3.1 "serializing a request origin"); only Fetch Metadata can vouch then.
      if (site !== 'same-origin') return refuse('origin-null');
    } else if (site && site !== 'same-origin') {
      return refuse('fetch-site');
    }
    const session = ctx.state.session;
    if (!session && ctx.state.sessionExpired) return bounceToLogin(ctx, deps, 'SESSION_EXPIRED');
    const sent = ctx.state.body._csrf ?? ctx.get('x-csrf-token');
    const expected = session?.state.csrf;
    if (!expected || !sent || !sameToken(sent, expected)) return refuse('token');
    await next();
  };
}
