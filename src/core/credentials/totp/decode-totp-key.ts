import { base32Codec } from './base32-codec.js';
import { normalizeTotpKey } from './normalize-totp-key.js';

/** The raw HMAC key bytes of a base32 TOTP secret (RFC 6238 §4: K, the shared secret). */
export function decodeTotpKey(secret: string): Buffer {
  return Buffer.from(base32Codec.decode(normalizeTotpKey(secret)));
}
