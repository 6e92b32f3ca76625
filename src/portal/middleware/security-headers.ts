import { pooledBase64 } from '../pooled-random.js';
import type { PortalMiddleware } from '../types.js';

// The policy around the nonce, built once (only the nonce changes per request).
const CSP_HEAD = "default-src 'none'; script-src 'nonce-";
const CSP_TAIL = [
  "'",
  "style-src 'self'",
  "img-src 'self' data:",
  "font-src 'self'",
  "connect-src 'self'",
  "manifest-src 'self'",
  "form-action 'self'",
  "frame-ancestors 'none'",
  "base-uri 'none'",
  "object-src 'none'",
].join('; ');

/**
 * Response headers of ASVS 3.4 / DESIGN.md §4 on every response:
 * - CSP with a fresh nonce per request: the only scripts that run are ours, inline ones carry the
 *   nonce (3.4.3); no plugins, no framing (`frame-ancestors 'none'`, 3.4.6), forms post only here;
 * - nosniff (3.4.4), Referrer-Policy same-origin (3.4.5: no URL of ours reaches another site; not
 *   no-referrer, with which browsers send `Origin: null` on our own forms — pages carrying a token
 *   in their URL set no-referrer themselves),
 *   COOP/CORP same-origin, X-Frame-Options for old browsers;
 * - HSTS when served over HTTPS (3.4.1).
 */
export function securityHeaders(): PortalMiddleware {
  return async (ctx, next) => {
    const nonce = pooledBase64(16);
    ctx.state.nonce = nonce;
    ctx.set({
      'Content-Security-Policy': CSP_HEAD + nonce + CSP_TAIL,
      'X-Content-Type-Options': 'nosniff',
      'X-Frame-Options': 'DENY',
      'Referrer-Policy': 'same-origin',
      'Cross-Origin-Opener-Policy': 'same-origin',
      'Cross-Origin-Resource-Policy': 'same-origin',
      'Permissions-Policy': 'camera=(), microphone=(), geolocation=(), payment=(), usb=()',
    });
    await next();
    if (ctx.state.secure) ctx.set('Strict-Transport-Security', 'max-age=31536000');
  };
}
