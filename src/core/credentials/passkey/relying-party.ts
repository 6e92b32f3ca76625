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
 * null for what no browser would run WebAuthn on (the portal then offers no passkeys):
 * - IP-address hosts: the RP ID must be a valid domain (§5.1.3 step "If effectiveDomain is not a
 *   valid domain … SecurityError");
 * - plain http except on localhost: WebAuthn is only exposed in secure contexts (§5.1), and
 *   http://localhost is the one potentially-trustworthy http origin;
 * - a URL that does not parse, or an empty name.
 * The portal asks on every login page, and the quick start's 127.0.0.1 is such a case: no
 * exception (with its stack trace) per page view.
 */
export function relyingPartyOrNull(publicUrl: string, rpName: string): RelyingParty | null {
  const url = URL.parse(publicUrl);
  if (!url || (url.protocol !== 'https:' && url.protocol !== 'http:')) return null;
  const host = url.hostname;
  const bareHost = host.startsWith('[') ? host.slice(1, -1) : host;
  if (host === '' || isIP(bareHost) !== 0) return null;
  const isLocalhost = host === 'localhost' || host.endsWith('.localhost');
  if (url.protocol === 'http:' && !isLocalhost) return null;
  if (rpName.trim() === '') return null;
  return { rpId: host, rpName, origin: url.origin };
}
