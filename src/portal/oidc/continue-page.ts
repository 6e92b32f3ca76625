import { renderPage } from '../page.js';
import type { PortalContext, PortalDeps } from '../types.js';

/**
 * Goes on to `url` from a page of its own (a meta refresh plus a link) instead of a redirect: a
 * redirect chain that began with one of the portal's form posts ends at the service's origin,
 * which the portal's CSP `form-action 'self'` would refuse (CSP 3 §6.3.1.2 checks redirects of a
 * form submission). The page starts a fresh navigation.
 */
export function continuePage(ctx: PortalContext, deps: PortalDeps, url: string, title = 'サービスに戻ります'): void {
  ctx.remove('Location');
  renderPage(ctx, deps, 'oidc-continue.njk', { pageTitle: title, heading: title, url }, 200);
  ctx.set('Referrer-Policy', 'no-referrer');
}
