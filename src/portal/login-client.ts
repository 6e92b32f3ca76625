import type { LoginClient } from '../core/index.js';
import { DEVICE_COOKIE_MAX_AGE_SECONDS, deviceCookieName, readCookie, writeCookie } from './cookies.js';
import type { PortalContext } from './types.js';

/** The browser of this request as the core's login steps want it: address, device cookie, User-Agent. */
export function loginClient(ctx: PortalContext): LoginClient {
  return { ip: ctx.state.ip, device: readCookie(ctx, deviceCookieName(ctx.state.secure)) ?? null, userAgent: ctx.get('user-agent') || null };
}

/** A login completed in a browser without a device cookie: it gets the one the core made. */
export function setDeviceCookie(ctx: PortalContext, token: string | null | undefined): void {
  if (!token) return;
  writeCookie(ctx, deviceCookieName(ctx.state.secure), token, { secure: ctx.state.secure, maxAgeSeconds: DEVICE_COOKIE_MAX_AGE_SECONDS });
}
