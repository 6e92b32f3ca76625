import type { PublicKeyCredentialCreationOptionsJSON } from '@simplewebauthn/server';
import { PASSKEY_PARAMS } from './passkey-params.js';
import { passkeyUserHandle } from './passkey-user-handle.js';
import type { RelyingParty } from './relying-party.js';
import type { StoredPasskey } from './stored-passkey.js';

export interface CreateRegistrationOptionsInput {
  rp: RelyingParty;
  /** Stable internal account id; hashed into the user handle (see passkeyUserHandle). */
  userId: string;
  /** Shown by the authenticator's account picker (§5.4.3 `name`): the member's login ID. */
  userName: string;
  /** §5.4.3 `displayName`: the member's name. */
  userDisplayName: string;
  /** The member's passkeys, so the same authenticator is not registered twice (§5.4 excludeCredentials). */
  existing: StoredPasskey[];
}

export interface CreateRegistrationOptionsResult {
  /** Send to the browser for `startRegistration({ optionsJSON })`. */
  options: PublicKeyCredentialCreationOptionsJSON;
  /** Store server-side, single-use and short-lived; pass to verifyPasskeyRegistration. */
  challenge: string;
}

/**
 * Options for `navigator.credentials.create()` (WebAuthn L3 §5.4, ceremony §7.1 step 1).
 *
 * - challenge: 32 random bytes made by SimpleWebAuthn (§13.4.3).
 * - userVerification 'required' (DESIGN §4, SCREENS §2.5): the passkey is a second factor only
 *   if the authenticator verified the member (biometric/PIN), §4 "User Verification".
 * - residentKey 'preferred' (§5.4.6): a discoverable credential where the authenticator can.
 * - attestation 'none' (§5.4.7): we do not restrict authenticator models, and "none" avoids
 *   collecting a device-identifying attestation (§14.4.1).
 * - pubKeyCredParams: ES256 and RS256 only (see PASSKEY_PARAMS).
 */
export async function createRegistrationOptions(input: CreateRegistrationOptionsInput): Promise<CreateRegistrationOptionsResult> {
  const { rp, userId, userName, userDisplayName, existing } = input;
  // Loaded on first use: the portal starts without WebAuthn's code (issue 10, memory).
  const { generateRegistrationOptions } = await import('@simplewebauthn/server');
  const options = await generateRegistrationOptions({
    rpName: rp.rpName,
    rpID: rp.rpId,
    userID: passkeyUserHandle(userId),
    userName,
    userDisplayName,
    timeout: PASSKEY_PARAMS.timeoutMs,
    attestationType: 'none',
    excludeCredentials: existing.map((p) => ({ id: p.credentialId, transports: [...p.transports] })),
    // A fresh object each call: SimpleWebAuthn writes requireResidentKey into the one it is given.
    authenticatorSelection: { residentKey: 'preferred', userVerification: 'required' },
    supportedAlgorithmIDs: [...PASSKEY_PARAMS.algorithms],
  });
  return { options, challenge: options.challenge };
}
