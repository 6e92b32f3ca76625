import { createHash } from 'node:crypto';

/**
 * The WebAuthn user handle (L3 §5.4.3 `user.id`) for an account: SHA-256 over the stable account
 * id with a domain-separation prefix.
 *
 * Why derived and not the raw id or the login name:
 * - It must be stable for the account (§5.4.3): the member's login ID can change (SCREENS §2.3,
 *   §2.7), so it is derived from the internal account id instead.
 * - It must be at most 64 bytes and should carry no personal information (§14.6.1 "user handle
 *   contents"); a 32-byte hash meets both whatever the id looks like.
 * - Deterministic, so every passkey of one account shares one handle and the authenticator
 *   replaces rather than piles up a discoverable credential for it (§6.3.2 authenticatorMakeCredential).
 */
export function passkeyUserHandle(userId: string): Uint8Array<ArrayBuffer> {
  if (typeof userId !== 'string' || userId === '') {
    throw new TypeError('userId must be a non-empty string');
  }
  const digest = createHash('sha256').update('kosmo/webauthn-user-handle/v1\0').update(userId, 'utf8').digest();
  return new Uint8Array(digest);
}
