import type { PublicKeyCredentialRequestOptionsJSON } from '@simplewebauthn/server';
import { PASSKEY_PARAMS } from './passkey-params.js';
import type { RelyingParty } from './relying-party.js';
import type { StoredPasskey } from './stored-passkey.js';

export interface CreateAuthenticationOptionsInput {
  rp: RelyingParty;
  /** The member's passkeys (login is ID + password first, SCREENS §2.5, so we know them). */
  allow: StoredPasskey[];
}

export interface CreateAuthenticationOptionsResult {
  /** Send to the browser for `startAuthentication({ optionsJSON })`. */
  options: PublicKeyCredentialRequestOptionsJSON;
  /** Store server-side, single-use and short-lived; pass to verifyPasskeyAuthentication. */
  challenge: string;
}

/**
 * Options for `navigator.credentials.get()` (WebAuthn L3 §5.5, ceremony §7.2 step 1), with a
 * fresh random challenge (§13.4.3) and userVerification 'required' (§5.5 / DESIGN §4).
 *
 * allowCredentials lists this member's credentials (§5.5), so the browser only offers those and
 * verifyPasskeyAuthentication can check the answer against them (§7.2 step 5).
 */
export async function createAuthenticationOptions(input: CreateAuthenticationOptionsInput): Promise<CreateAuthenticationOptionsResult> {
  const { rp, allow } = input;
  // Loaded on first use: the portal starts without WebAuthn's code (issue 10, memory).
  const { generateAuthenticationOptions } = await import('@simplewebauthn/server');
  const options = await generateAuthenticationOptions({
    rpID: rp.rpId,
    allowCredentials: allow.map((p) => ({ id: p.credentialId, transports: [...p.transports] })),
    userVerification: 'required',
    timeout: PASSKEY_PARAMS.timeoutMs,
  });
  return { options, challenge: options.challenge };
}
