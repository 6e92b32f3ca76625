import { base32Codec } from './base32-codec.js';

/**
 * Canonical form of a TOTP key: RFC 4648 §6 base32, upper case, no padding — the form the
 * otpauth URI carries (Key Uri Format: "secret … base32 … padding should be omitted").
 *
 * Accepts the key the way a member may copy or type it: lower case (SCREENS §2.6 requires that
 * lower-case entry works), full-width characters from a Japanese IME (folded by NFKC), groups
 * separated by spaces or hyphens, and trailing '=' padding.
 *
 * @throws TypeError when the text is not a base32 string (wrong characters, impossible length or
 *   non-zero trailing bits). A malformed stored secret is a programmer error, not a user error.
 */
export function normalizeTotpKey(input: string): string {
  if (typeof input !== 'string') throw new TypeError('TOTP key must be a string');
  const compact = input
    .normalize('NFKC')
    .replace(/[\s-]+/g, '')
    .replace(/=+$/, '')
    .toUpperCase();
  if (compact.length === 0 || !/^[A-Z2-7]+$/.test(compact)) {
    throw new TypeError('TOTP key is not base32 (RFC 4648 §6: A–Z and 2–7)');
  }
  try {
    // Decoding proves the length and trailing bits are valid (RFC 4648 §6 allows only
    // lengths ≡ 0, 2, 4, 5, 7 mod 8, with the unused low bits zero).
    base32Codec.decode(compact);
  } catch (cause) {
    throw new TypeError('TOTP key is not valid base32 (RFC 4648 §6)', { cause });
  }
  return compact;
}
