import { PASSKEY_PARAMS, relyingPartyOrNull, type RelyingParty, keepWebauthnChallenge, takeWebauthnChallenge, resolvePortalUrl } from '../../core/index.js';
import type { PortalContext, PortalDeps } from '../types.js';

/**
 * How long an issued WebAuthn challenge stays usable: the ceremony timeout the browser is given
 * (PASSKEY_PARAMS.timeoutMs, 60 s) plus a minute for the round trips. Single use besides.
 */
export const CHALLENGE_TTL_MS = PASSKEY_PARAMS.timeoutMs + 60_000;

/** A verified passkey waits this long for its label (認証ラベルの登録) before it must be registered again. */
export const PENDING_PASSKEY_TTL_MS = 10 * 60_000;

/** The posted ceremony answer is JSON in one form field; real ones are 1–3 KB. */
const MAX_RESPONSE_CHARS = 64 * 1024;

/**
 * Who we are to the authenticator (DESIGN.md §4: rpID and origin from the configured public URL):
 * `--public-url` first, then the society's `publicUrl` setting. Without either, only a request to
 * http(s)://localhost[:port] (development, tests) uses its own origin; any other host is never
 * trusted for this (the Host header is the client's word), and passkeys are unavailable: null.
 * A configured URL no browser would run WebAuthn on (plain http off localhost, an IP address) is
 * null too, rather than a 500.
 */
export function relyingPartyFor(ctx: PortalContext, deps: PortalDeps): RelyingParty | null {
  const society = ctx.state.society;
  const name = society.portalTitle || society.name;
  const url = resolvePortalUrl(society, { configured: deps.options.publicUrl?.toString(), request: { origin: ctx.state.origin, hostname: ctx.hostname } });
  // An IP-address origin (the quick start's 127.0.0.1) cannot be a WebAuthn RP ID: null here.
  return url ? relyingPartyOrNull(url, name) : null;
}

/** Keeps the challenge of a ceremony just started (server-side, short-lived, single use). */
export async function keepChallenge(ctx: PortalContext, deps: PortalDeps, kind: 'registration' | 'authentication', challenge: string): Promise<void> {
  await keepWebauthnChallenge(deps.core, ctx.state.session!.row.id, kind, challenge, CHALLENGE_TTL_MS);
}

/**
 * Takes the pending challenge before anything is verified (WebAuthn L3 §13.4.3): the core's
 * atomic take, so an answer can be checked against it only once, whatever arrives in parallel.
 */
export async function takeChallenge(ctx: PortalContext, deps: PortalDeps, kind: 'registration' | 'authentication'): Promise<string> {
  return takeWebauthnChallenge(deps.core, ctx.state.session!.row.id, kind);
}

/** The browser's answer from the form field `response`: parsed JSON, or null (the core refuses it). */
export function postedCeremonyResponse(ctx: PortalContext): unknown {
  const raw = ctx.state.body.response;
  if (typeof raw !== 'string' || raw.length === 0 || raw.length > MAX_RESPONSE_CHARS) return null;
  try {
    return JSON.parse(raw) as unknown;
  } catch {
    return null;
  }
}

/** Options for navigator.credentials.*: JSON for the page script, never cached. */
export function sendCeremonyOptions(ctx: PortalContext, options: unknown): void {
  ctx.status = 200;
  ctx.type = 'application/json; charset=utf-8';
  ctx.set('Cache-Control', 'no-store');
  ctx.body = JSON.stringify({ options });
}

/** The options request could not be answered (no relying party here): the page shows its message. */
export function sendCeremonyUnavailable(ctx: PortalContext): void {
  ctx.status = 503;
  ctx.type = 'application/json; charset=utf-8';
  ctx.set('Cache-Control', 'no-store');
  ctx.body = JSON.stringify({ error: 'unavailable' });
}
