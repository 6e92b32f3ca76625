import type { PortalContext } from './types.js';

/**
 * The session cookie (ASVS 3.3.1–3.3.4): HttpOnly, SameSite=Lax, Path=/; over HTTPS also Secure and
 * the `__Host-` prefix, which pins it to this host (no Domain attribute can be set or injected).
 */
export function sessionCookieName(secure: boolean): string {
  return secure ? '__Host-kosmo_session' : 'kosmo_session';
}

/**
 * The device cookie (issue 13): one random value per browser, set when a login first completes in
 * it, so the portal recognises a browser the member used before (new-device notice, smart
 * lockout). HttpOnly, this host only, never linked to anyone before a login; only its hash is
 * stored. It lives 400 days, the longest a browser keeps a cookie (RFC 6265bis §5.5).
 */
export function deviceCookieName(secure: boolean): string {
  return secure ? '__Host-kosmo_device' : 'kosmo_device';
}

export const DEVICE_COOKIE_MAX_AGE_SECONDS = 400 * 24 * 3600;

export function readCookie(ctx: PortalContext, name: string): string | undefined {
  const header = ctx.get('cookie');
  if (!header) return undefined;
  for (const part of header.split(';')) {
    const eq = part.indexOf('=');
    if (eq < 0) continue;
    if (part.slice(0, eq).trim() === name) return part.slice(eq + 1).trim();
  }
  return undefined;
}

/** Sets (or with `maxAge: 0` clears) a cookie, replacing any earlier Set-Cookie for that name. */
export function writeCookie(ctx: PortalContext, name: string, value: string, opts: { secure: boolean; maxAgeSeconds?: number }): void {
  let cookie = `${name}=${value}; Path=/; HttpOnly; SameSite=Lax`;
  if (opts.secure) cookie += '; Secure';
  if (opts.maxAgeSeconds !== undefined) cookie += `; Max-Age=${Math.max(0, Math.floor(opts.maxAgeSeconds))}`;
  const existing = ctx.response.get('Set-Cookie') as unknown;
  const list = (Array.isArray(existing) ? existing : existing ? [String(existing)] : []).filter((c: string) => !c.startsWith(`${name}=`));
  ctx.set('Set-Cookie', [...list, cookie]);
}
