import { isIP } from 'node:net';

/** Who we are to the authenticator: WebAuthn L3 §5.4.2 (rp entity) and §13.4.9 (origin checks). */
export interface RelyingParty {
  /** RP ID (§4 "RP ID"): the host of the public URL; credentials are scoped to it. */
  rpId: string;
  /** Shown by the authenticator / browser UI (§5.4.2 `name`). */
  rpName: string;
  /** The exact origin the browser reports in clientDataJSON (§7.1/§7.2 "verify C.origin"). */
  origin: string;
}

/**
 * Derives the relying party from the configured public URL (DESIGN §4: "rpID/origin from the
 * configured public URL") — never from request headers, which an attacker controls.
 *
 * Refuses (TypeError: a configuration error, DESIGN §3) what no browser would accept:
 * - IP-address hosts: the RP ID must be a valid domain (§5.1.3 step "If effectiveDomain is not a
 *   valid domain … SecurityError").
 * - plain http except on localhost: WebAuthn is only exposed in secure contexts (§5.1), and
 *   http://localhost is the one potentially-trustworthy http origin.
 */
export function relyingPartyFromUrl(publicUrl: string, rpName: string): RelyingParty {
  const rp = checkedRelyingParty(publicUrl, rpName);
  if (typeof rp === 'string') throw new TypeError(rp);
  return rp;
}

/**
 * The same check without throwing: null where no browser would run WebAuthn. The portal asks on
 * every login page, and the quick start's 127.0.0.1 is such a case: an exception per page view
 * (its stack trace) cost more than the rest of the check.
 */
export function relyingPartyOrNull(publicUrl: string, rpName: string): RelyingParty | null {
  const rp = checkedRelyingParty(publicUrl, rpName);
  return typeof rp === 'string' ? null : rp;
}

/** The relying party, or why there is none. */
function checkedRelyingParty(publicUrl: string, rpName: string): RelyingParty | string {
  const url = URL.parse(publicUrl);
  if (!url) return `public URL is not a URL: ${JSON.stringify(publicUrl)}`;
  if (url.protocol !== 'https:' && url.protocol !== 'http:') return `public URL must be http(s): ${url.protocol}`;
  const host = url.hostname;
  const bareHost = host.startsWith('[') ? host.slice(1, -1) : host;
  if (host === '' || isIP(bareHost) !== 0) return `public URL host must be a domain name (WebAuthn RP ID), not ${JSON.stringify(host)}`;
  const isLocalhost = host === 'localhost' || host.endsWith('.localhost');
  if (url.protocol === 'http:' && !isLocalhost) return 'public URL must be https (WebAuthn needs a secure context) unless the host is localhost';
  if (rpName.trim() === '') return 'rpName must not be empty';
  return { rpId: host, rpName, origin: url.origin };
}
