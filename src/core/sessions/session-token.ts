import { newToken, sha256Hex, type Random } from '../random.js';

/** A 256-bit token, base64url: what the cookie carries (ASVS 7.2.3: ≥ 128 bits of entropy). */
export function newSessionToken(random: Random): string {
  return newToken(random);
}

/** Only this is stored (ASVS 7.2.x): a copy of the database yields no usable cookie. */
export function sessionTokenHash(token: string): string {
  return sha256Hex(token);
}

/** 32 bytes in base64url are exactly 43 characters; anything else is not ours, without a query. */
export function looksLikeSessionToken(value: unknown): value is string {
  return typeof value === 'string' && /^[A-Za-z0-9_-]{43}$/.test(value);
}
