import type { PasskeyFailureReason } from './passkey-failure.js';

/**
 * SimpleWebAuthn 14 reports a refused response by throwing a plain `Error` whose message names
 * the failed check (only "signature does not verify" comes back as `verified: false`). We turn
 * those into stable codes for the audit log. Patterns are anchored at the start of the message:
 * several messages quote attacker-controlled values (challenge, origin) further on, and those
 * must not be able to steer the classification. An unknown message — e.g. after a library
 * upgrade reworded one — still refuses, as VERIFICATION_FAILED; the e2e suite pins the codes.
 *
 * Messages as of @simplewebauthn/server 14.0.3 (registration/verifyRegistrationResponse.js,
 * authentication/verifyAuthenticationResponse.js, helpers/matchExpectedRPID.js).
 */
const RULES: ReadonlyArray<readonly [RegExp, PasskeyFailureReason]> = [
  [/^(Missing credential ID|Credential ID was not base64url-encoded|Unexpected credential type|Credential missing response|Credential response \w+ was not a)/, 'MALFORMED_RESPONSE'],
  [/^Unexpected (registration|authentication) response type/, 'WRONG_CEREMONY_TYPE'],
  [/^(Unexpected (registration|authentication) response challenge|Custom challenge verifier returned false)/, 'CHALLENGE_MISMATCH'],
  [/^(Unexpected (registration|authentication) response origin|Detected cross-origin|Unexpected cross-origin|Unexpected top origin)/, 'ORIGIN_MISMATCH'],
  [/^Unexpected RP ID hash/, 'RP_ID_MISMATCH'],
  [/^(User presence was required|User not present)/, 'USER_NOT_PRESENT'],
  [/^User verification (was )?required/, 'USER_NOT_VERIFIED'],
  [/^(Unexpected public key alg|Credential public key was missing numeric alg)/, 'UNSUPPORTED_ALGORITHM'],
  [/^Response counter value/, 'COUNTER_NOT_INCREASED'],
];

export function classifyVerifierError(error: unknown): PasskeyFailureReason {
  if (error instanceof Error) {
    // PQCNotSupportedError (code RUNTIME_NO_PQC_SUPPORT): a key type this runtime cannot verify.
    if ((error as { code?: unknown }).code === 'RUNTIME_NO_PQC_SUPPORT') return 'UNSUPPORTED_ALGORITHM';
    for (const [pattern, reason] of RULES) {
      if (pattern.test(error.message)) return reason;
    }
  }
  return 'VERIFICATION_FAILED';
}
