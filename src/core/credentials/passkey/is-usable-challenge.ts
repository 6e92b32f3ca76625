import { B64URL } from './response-fields.js';

/**
 * Whether the caller handed us a challenge at all. The library's challenges are 32 random bytes
 * (43 base64url chars; L3 §13.4.3 asks for at least 16). An empty or missing value — typically a
 * challenge the caller already consumed — must refuse, not be compared: a forged clientDataJSON
 * could carry an empty challenge too.
 */
export function isUsableChallenge(challenge: unknown): challenge is string {
  return typeof challenge === 'string' && challenge.length >= 22 && challenge.length <= 1024 && B64URL.test(challenge);
}
