import type { SocietySettings } from './settings.js';

/** Where the quick start serves the portal (`kosmo serve` on this machine). */
export const DEFAULT_PORTAL_URL = 'http://localhost:3000/';

const LOOPBACK = /^(localhost|[a-z0-9-]+\.localhost|127(?:\.\d{1,3}){3}|\[?::1\]?)$/i;

export interface PortalUrlSources {
  /** Given by the operator for this run (`kosmo serve --public-url`, `import --portal-url`). */
  configured?: string | null;
  /** The request being answered, if any: trusted only for the society's own host names or loopback. */
  request?: { origin: string; hostname: string } | null;
  /** With nothing else to go on: the quick start's address (a staff command's mail), or none. */
  fallback?: 'default' | 'none';
}

function httpUrl(raw: string | null | undefined): string | null {
  if (!raw) return null;
  try {
    const u = new URL(raw);
    return u.protocol === 'https:' || u.protocol === 'http:' ? u.toString() : null;
  } catch {
    return null;
  }
}

/**
 * The one rule for the portal's address — links in mails and letters, the reset link, the passkey
 * relying party. In order: what the operator configured for this run, the society's `publicUrl`;
 * then, answering a request, its own origin only when its host is one of the society's `hostNames`
 * or loopback (never any other Host header: an attacker chooses it, reset-link poisoning) and
 * otherwise none; without a request (a staff command), `https://` + the first host name, then the
 * fallback.
 */
export function resolvePortalUrl(society: { settings: Pick<SocietySettings, 'publicUrl' | 'hostNames'> }, sources: PortalUrlSources = {}): string | null {
  const configured = httpUrl(sources.configured) ?? httpUrl(society.settings.publicUrl);
  if (configured) return configured;
  const request = sources.request;
  if (request) {
    const host = request.hostname.toLowerCase();
    if (LOOPBACK.test(host) || society.settings.hostNames.some((h) => h.toLowerCase() === host)) return httpUrl(`${request.origin}/`);
    // A request for a host the society does not list gets no address at all (no link is mailed):
    // better no mail than a link the member did not ask from.
    return null;
  }
  const first = society.settings.hostNames[0];
  if (first) return `https://${first}/`;
  return sources.fallback === 'default' ? DEFAULT_PORTAL_URL : null;
}
