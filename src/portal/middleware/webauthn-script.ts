import { createHash } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { browserScriptPath } from '../../core/index.js';
import type { PortalMiddleware } from '../types.js';

/** Where the pages load @simplewebauthn/browser from: this portal, never a CDN (CSP, DESIGN.md §4). */
export const WEBAUTHN_BROWSER_PATH = '/assets/webauthn/simplewebauthn-browser.js';

/**
 * Serves the @simplewebauthn/browser UMD bundle (global `SimpleWebAuthnBrowser`) from the installed
 * package (browserScriptPath), read once into memory at start, like the other assets.
 */
export function webauthnBrowserScript(): PortalMiddleware {
  const body = readFileSync(browserScriptPath());
  const etag = `"${createHash('sha256').update(body).digest('base64url').slice(0, 22)}"`;
  return async (ctx, next) => {
    if (ctx.path !== WEBAUTHN_BROWSER_PATH || (ctx.method !== 'GET' && ctx.method !== 'HEAD')) return next();
    ctx.set('Cache-Control', 'public, max-age=3600');
    ctx.set('ETag', etag);
    if (ctx.get('if-none-match') === etag) {
      ctx.status = 304;
      return;
    }
    ctx.type = 'text/javascript; charset=utf-8';
    ctx.body = body;
  };
}
