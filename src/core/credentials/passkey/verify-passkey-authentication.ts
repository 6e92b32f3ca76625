import type { VerifiedAuthenticationResponse } from '@simplewebauthn/server';
import { classifyVerifierError } from './classify-verifier-error.js';
import { isStoredPasskeyUsable } from './is-stored-passkey-usable.js';
import { isUsableChallenge } from './is-usable-challenge.js';
import { parseAuthenticationResponse } from './parse-authentication-response.js';
import { refuse, type PasskeyFailure } from './passkey-failure.js';
import type { RelyingParty } from './relying-party.js';
import type { StoredPasskey } from './stored-passkey.js';

export interface VerifyPasskeyAuthenticationInput {
  rp: RelyingParty;
  /** The browser's AuthenticationResponseJSON as posted: untrusted, any shape. */
  response: unknown;
  /** The challenge from createAuthenticationOptions, already taken out of the store (single use). */
  expectedChallenge: string;
  /** The member's passkey this response claims to be from (see findPasskeyForResponse). */
  passkey: StoredPasskey;
}

export type VerifyPasskeyAuthenticationResult = { ok: true; newCounter: number } | PasskeyFailure;

/**
 * Authentication ceremony, WebAuthn L3 §7.2, for an untrusted response. Never throws.
 *
 * Ours, before the library: shape and size limits; the response's credential id must be the
 * stored passkey's (§7.2 steps 5–6: "credential.id identifies one of the public key credentials
 * listed in allowCredentials" / the credential record belongs to the user being authenticated —
 * SimpleWebAuthn 14 does not compare them, it trusts the record it is handed).
 *
 * SimpleWebAuthn: C.type "webauthn.get", C.challenge, C.origin (and topOrigin), rpIdHash, UP,
 * UV (requireUserVerification: DESIGN §4), the signature over authenticatorData ‖ SHA-256(cData)
 * with the stored public key, and §7.2 step 21: if either the response's signCount or the stored
 * one is non-zero, the new one must be greater — otherwise the authenticator may be cloned and
 * we refuse (COUNTER_NOT_INCREASED). Both zero is accepted: authenticators without a counter
 * (most synced passkeys) always send 0.
 *
 * On success the caller stores `newCounter` (compare-and-set against the counter it passed in,
 * so two concurrent logins with one assertion cannot both pass).
 */
export async function verifyPasskeyAuthentication(input: VerifyPasskeyAuthenticationInput): Promise<VerifyPasskeyAuthenticationResult> {
  try {
    const { rp, expectedChallenge, passkey } = input;
    if (!isUsableChallenge(expectedChallenge)) return refuse('NO_EXPECTED_CHALLENGE');
    if (!isStoredPasskeyUsable(passkey)) return refuse('STORED_PASSKEY_INVALID');
    const response = parseAuthenticationResponse(input.response);
    if (response === null) return refuse('MALFORMED_RESPONSE');
    if (response.id !== passkey.credentialId) return refuse('CREDENTIAL_MISMATCH');

    // Loaded on first use: the portal starts without WebAuthn's code (issue 10, memory).
    const [{ verifyAuthenticationResponse }, { isoBase64URL }] = await Promise.all([import('@simplewebauthn/server'), import('@simplewebauthn/server/helpers')]);
    let verification: VerifiedAuthenticationResponse;
    try {
      verification = await verifyAuthenticationResponse({
        response,
        expectedChallenge,
        expectedOrigin: rp.origin,
        expectedRPID: rp.rpId,
        credential: {
          id: passkey.credentialId,
          publicKey: isoBase64URL.toBuffer(passkey.publicKey),
          counter: passkey.counter,
        },
        requireUserVerification: true,
      });
    } catch (error) {
      return refuse(classifyVerifierError(error));
    }
    if (!verification.verified) return refuse('SIGNATURE_INVALID');
    // Belt and braces: the library enforced UV above.
    if (!verification.authenticationInfo.userVerified) return refuse('USER_NOT_VERIFIED');
    return { ok: true, newCounter: verification.authenticationInfo.newCounter };
  } catch {
    // Only reachable through a defect (ours or the library's); refusing is the safe answer.
    return refuse('VERIFICATION_FAILED');
  }
}
