import { z } from 'zod';
import { PASSKEY_PARAMS } from './passkey-params.js';

/**
 * Field schemas for the untrusted JSON a browser posts back (WebAuthn L3 §5.1
 * RegistrationResponseJSON / AuthenticationResponseJSON). SimpleWebAuthn assumes the shape (a
 * wrong one becomes a TypeError deep inside it) and decodes whatever length it is given; we bound
 * every field first so a hostile body costs no CBOR or crypto work and never becomes an exception.
 */

export const B64URL = /^[A-Za-z0-9_-]+$/;

/** base64url of n bytes without padding is ceil(4n/3) characters. */
export const b64urlChars = (bytes: number): number => Math.ceil((bytes * 4) / 3);

const b64url = (maxBytes: number) => z.string().min(1).max(b64urlChars(maxBytes)).regex(B64URL);

/** §7.1: a credential ID is at most 1023 bytes. */
export const credentialIdField = b64url(PASSKEY_PARAMS.maxCredentialIdBytes);

/** clientDataJSON is a short JSON text (§5.8.1); browsers send ~150–400 bytes. */
export const clientDataJSONField = b64url(4096);

/** "none" attestation is a few hundred bytes; 48 KiB leaves room for certificate chains. */
export const attestationObjectField = b64url(48 * 1024);

/** 37 bytes plus optional extension CBOR (§6.1). */
export const authenticatorDataField = b64url(4096);

/** The largest COSE signature we could meet (ML-DSA-87) is 4627 bytes. */
export const signatureField = b64url(6144);

/** §5.4.3: at most 64 bytes; some clients send "" or null for "no user handle". */
export const userHandleField = z
  .string()
  .max(b64urlChars(PASSKEY_PARAMS.maxUserHandleBytes))
  .regex(/^[A-Za-z0-9_-]*$/)
  .nullish();

/** Transport hints (§5.8.4): short strings, a handful at most. */
export const transportsField = z.array(z.string().max(32)).max(16).optional();

/**
 * The PublicKeyCredential envelope both ceremonies post (L3 §5.1 `toJSON()`): `id` and `rawId`
 * are base64url of the same bytes, so they must be equal.
 */
export function credentialEnvelope<R extends z.ZodTypeAny>(response: R) {
  return z.object({ id: credentialIdField, rawId: credentialIdField, type: z.literal('public-key'), response }).refine((c) => c.id === c.rawId);
}
