/**
 * Fixed WebAuthn parameters for KOSMO passkeys (DESIGN §4 "passkeys", SCREENS §2.5).
 *
 * - `algorithms`: ES256 (-7) and RS256 (-257), WebAuthn L3 §5.4 `pubKeyCredParams`. Pinned
 *   rather than taken from SimpleWebAuthn 14's `getDefaultSupportedAlgorithmIDs()`, which on Node
 *   24 answers [-48 (ML-DSA-44), -8 (EdDSA), -7, -257] and prints Node "experimental" warnings
 *   while probing WebCrypto for ML-DSA. ES256 is what every platform authenticator supports, RS256
 *   covers Windows Hello. The same list must go to registration options *and* verification (§7.1
 *   "verify that the alg parameter … matches one of the items in options.pubKeyCredParams").
 * - `timeoutMs`: the ceremony timeout hint (§5.4 `timeout`). Callers should keep their stored
 *   challenge at least this long, and not much longer (challenges are single-use, short-lived).
 * - `maxCredentialIdBytes`: §7.1 "verify that the credentialId is ≤ 1023 bytes"; also bounds the
 *   untrusted `id` we accept before doing any work.
 * - `maxUserHandleBytes`: §5.4.3 a user handle is at most 64 bytes.
 */
export const PASSKEY_PARAMS = Object.freeze({
  algorithms: Object.freeze([-7, -257] as const),
  timeoutMs: 60_000,
  maxCredentialIdBytes: 1023,
  maxUserHandleBytes: 64,
});
