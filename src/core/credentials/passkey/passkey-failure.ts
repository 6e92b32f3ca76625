/**
 * Why a passkey response was refused. Stable codes for the audit log and for tests; members only
 * ever see the generic message of the screen. Never contains response data (it is untrusted).
 */
export type PasskeyFailureReason =
  /** Not shaped like a RegistrationResponseJSON / AuthenticationResponseJSON, or oversized. */
  | 'MALFORMED_RESPONSE'
  /** The caller passed no usable expected challenge (e.g. it was already consumed). */
  | 'NO_EXPECTED_CHALLENGE'
  /** The stored passkey record itself is unusable (corrupt key or counter). */
  | 'STORED_PASSKEY_INVALID'
  /** §7.2 steps 5–6: the response is for another credential than the one being checked. */
  | 'CREDENTIAL_MISMATCH'
  /** §7.1 / §7.2: C.type is not webauthn.create / webauthn.get. */
  | 'WRONG_CEREMONY_TYPE'
  /** §7.1 / §7.2: C.challenge is not the challenge this server issued. */
  | 'CHALLENGE_MISMATCH'
  /** §7.1 / §7.2 and §13.4.9: C.origin (or topOrigin) is not ours. */
  | 'ORIGIN_MISMATCH'
  /** §7.1 / §7.2: rpIdHash in authenticatorData is not SHA-256 of our RP ID. */
  | 'RP_ID_MISMATCH'
  /** §7.1 / §7.2: UP flag not set. */
  | 'USER_NOT_PRESENT'
  /** §7.1 / §7.2: UV flag not set although we require user verification (DESIGN §4). */
  | 'USER_NOT_VERIFIED'
  /** §7.1: the credential key algorithm is not one we offered. */
  | 'UNSUPPORTED_ALGORITHM'
  /** §7.2 step 21: signature counter did not increase — possible cloned authenticator. */
  | 'COUNTER_NOT_INCREASED'
  /** §7.2: the assertion signature does not verify with the stored public key. */
  | 'SIGNATURE_INVALID'
  /** Anything else the verifier refused (attestation statement, CBOR, …). */
  | 'VERIFICATION_FAILED';

export type PasskeyFailure = { ok: false; reason: PasskeyFailureReason };

export function refuse(reason: PasskeyFailureReason): PasskeyFailure {
  return { ok: false, reason };
}
