import type { Random } from '../../random.js';
import { base32Codec } from './base32-codec.js';
import { TOTP_SECRET_BYTES } from './totp-params.js';

/**
 * A new shared secret for an authenticator app: 160 random bits (RFC 4226 §4 R6, NIST
 * SP 800-63B §5.1.4.1 needs ≥ 112), as 32 characters of upper-case RFC 4648 base32 without
 * padding (20 bytes = 160 bits is a multiple of 5 bits, so there is none to drop anyway).
 * Randomness is injected so that tests can fix it; production passes `cryptoRandom`.
 */
export function generateTotpSecret(random: Random): string {
  const bytes = random.bytes(TOTP_SECRET_BYTES);
  if (bytes.length !== TOTP_SECRET_BYTES) {
    throw new TypeError(`Random.bytes(${TOTP_SECRET_BYTES}) returned ${bytes.length} bytes`);
  }
  return base32Codec.encode(bytes, { padding: false });
}
