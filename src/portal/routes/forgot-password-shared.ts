import { setTimeout as sleep } from 'node:timers/promises';
import { isKosmoError, resolvePortalUrl } from '../../core/index.js';
import { formFailure } from '../page.js';
import type { PortalContext, PortalDeps } from '../types.js';

/**
 * Both forgot forms answer no sooner than this after the request arrived, whatever the input: an
 * existing account costs a token, a rendered mail and more rows than an unknown one, and that
 * difference must not show in the response time (OWASP Forgot Password CS: "consistent amount of
 * time"). Real time on purpose, not the injected clock.
 */
export const RECOVERY_ANSWER_FLOOR_MS = 150;

/** Starts the floor: await the returned promise before answering. */
export function answerFloor(): Promise<void> {
  return sleep(RECOVERY_ANSWER_FLOOR_MS).then(() => undefined);
}

/**
 * The origin a mailed link may point to. Never the bare Host header of any request: with one
 * society every host name serves it, so an attacker could ask for a reset of someone else's account
 * with `Host: evil.example` and have the victim mailed a link to their own server (reset-link
 * poisoning). Trusted are, in order: `--public-url`, the society's `publicUrl` setting, and the
 * request's own origin only when its host is one of the society's `hostNames` or loopback (the
 * quick start on 127.0.0.1). Null: no trusted origin, no mail (logged).
 */
export function trustedBaseUrl(ctx: PortalContext, deps: PortalDeps): string | null {
  const url = resolvePortalUrl(ctx.state.society, { configured: deps.options.publicUrl?.toString(), request: { origin: ctx.state.origin, hostname: ctx.hostname } });
  return url ? new URL(url).origin : null;
}

/**
 * A refused forgot form: its messages, with 429 for the per-client limit (the kind's 503 would tell
 * monitoring the portal is down).
 */
export function recoveryFailure(err: unknown): { status: number; messages: string[]; invalid: Record<string, true> } {
  const failure = formFailure(err);
  return { status: isKosmoError(err, 'RATE_LIMITED') ? 429 : failure.status, messages: failure.messages, invalid: failure.invalid };
}
