import { readCookie, writeCookie } from '../cookies.js';
import type { PortalContext } from '../types.js';
import { INTERACTION_UID, interactionPath } from './paths.js';

/**
 * The sign-in a service asked for while the member logs in to the portal: the interaction id, in
 * a cookie of its own (HttpOnly, SameSite=Lax, Path=/) so that the portal's login steps — first
 * login included — stay as they are. It only points at the interaction; the interaction itself is
 * bound to this browser by the provider's own cookie.
 */
const COOKIE = 'kosmo_oidc_resume';
const MAX_AGE_SECONDS = 30 * 60;

export function rememberInteraction(ctx: PortalContext, uid: string): void {
  writeCookie(ctx, COOKIE, uid, { secure: ctx.state.secure, maxAgeSeconds: MAX_AGE_SECONDS });
}

export function forgetInteraction(ctx: PortalContext): void {
  writeCookie(ctx, COOKIE, '', { secure: ctx.state.secure, maxAgeSeconds: 0 });
}

/**
 * For the top page once the login is done: where the pending sign-in goes on (the interaction's
 * page), or null. The cookie is cleared either way.
 */
export function pendingInteraction(ctx: PortalContext): string | null {
  const uid = readCookie(ctx, COOKIE);
  if (uid === undefined) return null;
  forgetInteraction(ctx);
  return uid && INTERACTION_UID.test(uid) ? interactionPath(uid) : null;
}
