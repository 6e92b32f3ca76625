import type { VerifiedRegistrationResponse } from '@simplewebauthn/server';
import { classifyVerifierError } from './classify-verifier-error.js';
import { isUsableChallenge } from './is-usable-challenge.js';
import { parseRegistrationResponse } from './parse-registration-response.js';
import { PASSKEY_PARAMS } from './passkey-params.js';
import { refuse, type PasskeyFailure } from './passkey-failure.js';
import type { RelyingParty } from './relying-party.js';
import { sanitizeTransports } from './sanitize-transports.js';
import type { StoredPasskey } from './stored-passkey.js';

export interface VerifyPasskeyRegistrationInput {
  rp: RelyingParty;
  /** The browser's RegistrationResponseJSON as posted: untrusted, any shape. */
  response: unknown;
  /** The challenge from createRegistrationOptions, already taken out of the store (single use). */
  expectedChallenge: string;
}

export type VerifyPasskeyRegistrationResult = { ok: true; passkey: StoredPasskey } | PasskeyFailure;

/**
 * Registration ceremony, WebAuthn L3 §7.1, for an untrusted response. Never throws: anything
 * wrong is `{ ok: false, reason }`.
 *
 * SimpleWebAuthn performs the §7.1 checks: C.type "webauthn.create", C.challenge, C.origin,
 * rpIdHash, UP, UV (requireUserVerification: DESIGN §4), alg ∈ pubKeyCredParams, attestation
 * statement ("none" here). We add, before it: shape and size limits, id === rawId; after it:
 * the credential id in authenticatorData equals the one the client reported and is ≤ 1023 bytes
 * (§7.1). Left to the caller: §7.1 "verify that the credentialId is not yet registered for any
 * user" (a unique index on credentialId) and storing the result with the member's label.
 */
export async function verifyPasskeyRegistration(input: VerifyPasskeyRegistrationInput): Promise<VerifyPasskeyRegistrationResult> {
  try {
    const { rp, expectedChallenge } = input;
    if (!isUsableChallenge(expectedChallenge)) return refuse('NO_EXPECTED_CHALLENGE');
    const response = parseRegistrationResponse(input.response);
    if (response === null) return refuse('MALFORMED_RESPONSE');

    // Loaded on first use: the portal starts without WebAuthn's code (issue 10, memory).
    const [{ verifyRegistrationResponse }, { isoBase64URL }] = await Promise.all([import('@simplewebauthn/server'), import('@simplewebauthn/server/helpers')]);
    let verification: VerifiedRegistrationResponse;
    try {
      verification = await verifyRegistrationResponse({
        response,
        expectedChallenge,
        expectedOrigin: rp.origin,
        expectedRPID: rp.rpId,
        requireUserPresence: true,
        requireUserVerification: true,
        supportedAlgorithmIDs: [...PASSKEY_PARAMS.algorithms],
      });
    } catch (error) {
      return refuse(classifyVerifierError(error));
    }
    if (!verification.verified) return refuse('VERIFICATION_FAILED');

    const { credential, userVerified } = verification.registrationInfo;
    // Belt and braces: the library enforced UV above; a stored passkey must never lack it.
    if (!userVerified) return refuse('USER_NOT_VERIFIED');
    if (credential.id !== response.id) return refuse('CREDENTIAL_MISMATCH');
    if (isoBase64URL.toBuffer(credential.id).length > PASSKEY_PARAMS.maxCredentialIdBytes) {
      return refuse('MALFORMED_RESPONSE');
    }
    return {
      ok: true,
      passkey: {
        credentialId: credential.id,
        publicKey: isoBase64URL.fromBuffer(credential.publicKey),
        counter: credential.counter,
        transports: sanitizeTransports(credential.transports),
      },
    };
  } catch {
    // Only reachable through a defect (ours or the library's); refusing is the safe answer.
    return refuse('VERIFICATION_FAILED');
  }
}
