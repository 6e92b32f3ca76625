import type { PortalContext, PortalDeps } from '../types.js';
import { issuerFor } from './provider.js';

/**
 * A service-menu entry that names a single sign-on client links to the service's login-initiation
 * URI with `iss` = this portal's issuer (OIDC Core §4, "Initiating Login from a Third Party"): the
 * service starts its authorization request at once and the member, already signed in here, lands
 * in the service signed in. Other entries link to their URL as it is.
 */
export function serviceMenuHref(ctx: PortalContext, deps: PortalDeps, item: { url: string; clientId?: string }): string {
  if (!item.clientId || !/^https?:/i.test(item.url)) return item.url;
  const issuer = issuerFor(ctx, deps);
  if (!issuer) return item.url;
  const u = new URL(item.url);
  u.searchParams.set('iss', issuer);
  return u.href;
}
