import { B64URL } from './response-fields.js';
import type { StoredPasskey } from './stored-passkey.js';

/** §6.1: signCount is a 32-bit unsigned integer. */
const MAX_SIGN_COUNT = 0xffff_ffff;

/**
 * Whether a stored record can be verified against at all. It comes from our database, but a
 * corrupt row must refuse the login (STORED_PASSKEY_INVALID), not crash it or — with a NaN or
 * negative counter — silently disable the §7.2 step 21 counter check.
 */
export function isStoredPasskeyUsable(passkey: unknown): passkey is StoredPasskey {
  if (typeof passkey !== 'object' || passkey === null) return false;
  const p = passkey as Partial<Record<keyof StoredPasskey, unknown>>;
  return (
    typeof p.credentialId === 'string' &&
    B64URL.test(p.credentialId) &&
    typeof p.publicKey === 'string' &&
    B64URL.test(p.publicKey) &&
    typeof p.counter === 'number' &&
    Number.isInteger(p.counter) &&
    p.counter >= 0 &&
    p.counter <= MAX_SIGN_COUNT
  );
}
