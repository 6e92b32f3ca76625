/**
 * Passkeys (WebAuthn L3) as a second factor: pure functions over @simplewebauthn/server 14, no
 * database. See DESIGN §4 "passkeys" and SCREENS §2.5. Challenges are made by the library; the
 * caller stores each one server-side, takes it out before verifying (single use) and lets it
 * expire soon after PASSKEY_PARAMS.timeoutMs.
 */
export { PASSKEY_PARAMS } from './passkey-params.js';
export { relyingPartyOrNull, type RelyingParty } from './relying-party.js';
export type { StoredPasskey } from './stored-passkey.js';
export type { PasskeyFailure, PasskeyFailureReason } from './passkey-failure.js';
export { passkeyUserHandle } from './passkey-user-handle.js';
export { createRegistrationOptions, type CreateRegistrationOptionsInput, type CreateRegistrationOptionsResult } from './create-registration-options.js';
export { verifyPasskeyRegistration, type VerifyPasskeyRegistrationInput, type VerifyPasskeyRegistrationResult } from './verify-passkey-registration.js';
export { createAuthenticationOptions, type CreateAuthenticationOptionsInput, type CreateAuthenticationOptionsResult } from './create-authentication-options.js';
export { verifyPasskeyAuthentication, type VerifyPasskeyAuthenticationInput, type VerifyPasskeyAuthenticationResult } from './verify-passkey-authentication.js';
export { findPasskeyForResponse } from './find-passkey-for-response.js';
export { browserScriptPath } from './browser-script-path.js';
