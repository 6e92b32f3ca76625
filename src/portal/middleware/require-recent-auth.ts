import { needsReauthentication } from '../../core/index.js';
import { seeOther } from '../page.js';
import { requireAuthenticated } from './guards.js';
import type { PortalContext, PortalDeps, PortalMiddleware } from '../types.js';

/** Where the re-authentication starts (routes/reauth.ts). */
export const REAUTH_PATH = '/reauth';

const MAX_RETURN_LENGTH = 512;

/**
 * A path of this portal to go back to after the re-authentication, or `/`. Only a same-origin
 * path is kept (`/x?y`): no scheme, no `//host` or `/\host` (browsers read both as another
 * site), no control characters — an open redirect is never possible (ASVS 5.1.5 / OWASP
 * Unvalidated Redirects CS).
 */
export function safeReturnPath(input: unknown): string {
  if (typeof input !== 'string' || input.length === 0 || input.length > MAX_RETURN_LENGTH) return '/';
  if (!input.startsWith('/') || input.startsWith('//') || input.startsWith('/\\')) return '/';
  // eslint-disable-next-line no-control-regex
  if (/[\u0000-\u001f\u007f\\]/.test(input)) return '/';
  try {
    const base = 'http://kosmo.invalid';
    const url = new URL(input, base);
    if (url.origin !== base) return '/';
    return `${url.pathname}${url.search}`;
  } catch {
    return '/';
  }
}

export interface RecentAuthOptions {
  /**
   * The page to come back to once re-authenticated. Default: the URL asked for on GET; for a
   * POST (which cannot be replayed) the GET page of the same path. Give it when that GET page does
   * not exist (e.g. `POST /profile/user-id` → `/profile`).
   */
  returnTo?: string | ((ctx: PortalContext) => string);
}

/** Whether the session's last (re)authentication is recent enough for a sensitive action (§2.9). */
export function isRecentlyAuthenticated(ctx: PortalContext, deps: PortalDeps): boolean {
  const session = ctx.state.session;
  return Boolean(session) && !needsReauthentication(session!.row.authenticatedAt, deps.core.clock.now());
}

/**
 * Starts a re-authentication that will come back to `returnTo`: the password first, then the
 * second factor (routes/reauth.ts). Anything proven earlier in an unfinished re-authentication is
 * forgotten.
 */
export function startReauthentication(ctx: PortalContext, returnTo: string): void {
  const session = ctx.state.session!;
  session.state.reauth = { returnTo: safeReturnPath(returnTo) };
  session.dirty = true;
  seeOther(ctx, REAUTH_PATH);
}

/**
 * §2.9 re-authentication for sensitive actions: password, email and user ID changes, adding or
 * deleting a second factor. Only for a fully logged-in member (else like `requireAuthenticated`);
 * when the session's last authentication (`authenticatedAt`, set at the login and at every
 * re-authentication) is older than 5 minutes (REAUTH_AFTER_MS), the request does nothing and
 * redirects (303) to `/reauth`, which shows `続行する際には再度認証してください。`, asks for the
 * password and then the second factor, and returns to the original page (same-origin path only).
 *
 * Use it on both the GET of the page and its POST (the POST is the one that matters):
 *   router.get('/profile/email', requireRecentAuth(deps), …);
 *   router.post('/profile/email', requireRecentAuth(deps), …);
 */
export function requireRecentAuth(deps: PortalDeps, opts: RecentAuthOptions = {}): PortalMiddleware {
  const authenticated = requireAuthenticated(deps);
  return (ctx, next) =>
    authenticated(ctx, async () => {
      if (isRecentlyAuthenticated(ctx, deps)) return next();
      const wanted = typeof opts.returnTo === 'function' ? opts.returnTo(ctx) : opts.returnTo;
      const fallback = ctx.method === 'GET' || ctx.method === 'HEAD' ? ctx.originalUrl : ctx.path;
      startReauthentication(ctx, wanted ?? fallback);
    });
}
