import { timingSafeEqual } from 'node:crypto';
import { foldInput } from '../../util/normalize.js';
import { decodeTotpKey } from './decode-totp-key.js';
import { hotpCode } from './hotp-code.js';
import { TOTP_PARAMS } from './totp-params.js';
import { totpStep } from './totp-step.js';

export interface VerifyTotpCodeInput {
  /** The device's base32 secret (canonical or as typed; see normalizeTotpKey). */
  secret: string;
  /** What the member typed. */
  code: string;
  /** The injected clock's time (DESIGN §5: no real time in core logic). */
  now: Date;
  /** The step returned by the last successful verification for this device, or null if none. */
  lastUsedStep: number | null;
}

export type VerifyTotpCodeResult = { ok: true; step: number } | { ok: false; reason: 'format' | 'mismatch' | 'replay' };

/** Longer input cannot be a code; refuse it before spending work on Unicode normalisation. */
const MAX_INPUT_LENGTH = 64;
const CODE_PATTERN = new RegExp(`^[0-9]{${TOTP_PARAMS.digits}}$`);

/**
 * Checks a code the member typed against a device's secret.
 *
 * - Input: trimmed and NFKC-folded, so full-width digits from a Japanese IME ("１２３４５６")
 *   work; anything other than exactly six ASCII digits is `format` (never an exception: it is
 *   user input).
 * - Window: steps now−1, now, now+1 (RFC 6238 §5.2 recommends at most one step of
 *   "network delay"; we allow it both ways for phone clock drift, FAQ Q9, like Keycloak).
 * - Replay: RFC 6238 §5.2 "the verifier MUST NOT accept the second attempt of the same OTP after
 *   the successful validation has been issued for the first OTP". A matching step ≤
 *   lastUsedStep is `replay`; on success the caller stores the returned `step` for the device,
 *   which also shuts out older codes still inside the window.
 * - When several steps match (a 1-in-10^6 coincidence) the highest wins, so the stored step
 *   moves as far forward as the evidence allows.
 * - Every step in the window is computed and compared with timingSafeEqual, with no early exit,
 *   so the time taken does not reveal which step or how many digits matched.
 *
 * `replay` and `mismatch` are distinguished for the audit log; members see one message.
 *
 * @throws TypeError for programmer errors only: a secret that is not base32, an invalid Date, or
 *   a lastUsedStep that is not a non-negative integer.
 */
export function verifyTotpCode({ secret, code, now, lastUsedStep }: VerifyTotpCodeInput): VerifyTotpCodeResult {
  const key = decodeTotpKey(secret);
  const current = totpStep(now);
  if (lastUsedStep !== null && !(Number.isSafeInteger(lastUsedStep) && lastUsedStep >= 0)) {
    throw new TypeError(`lastUsedStep must be null or a non-negative integer, got ${lastUsedStep}`);
  }

  if (typeof code !== 'string' || code.length > MAX_INPUT_LENGTH) return { ok: false, reason: 'format' };
  const typed = foldInput(code);
  if (!CODE_PATTERN.test(typed)) return { ok: false, reason: 'format' };
  const typedBytes = Buffer.from(typed, 'ascii');

  let matched: number | null = null;
  for (let step = current - TOTP_PARAMS.window; step <= current + TOTP_PARAMS.window; step++) {
    if (step < 0) continue; // only before 1970-01-01T00:00:30Z; HOTP counters are unsigned
    const expected = Buffer.from(hotpCode(key, step), 'ascii');
    // Both buffers are exactly `digits` bytes long, as timingSafeEqual requires.
    if (timingSafeEqual(expected, typedBytes)) matched = step; // ascending loop: keeps the highest
  }

  if (matched === null) return { ok: false, reason: 'mismatch' };
  if (lastUsedStep !== null && matched <= lastUsedStep) return { ok: false, reason: 'replay' };
  return { ok: true, step: matched };
}
