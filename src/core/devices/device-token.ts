import { newToken, sha256Hex, type Random } from '../random.js';

/**
 * The device cookie's value: 256 random bits, one per browser, made when a login first completes
 * in it. Only its SHA-256 is stored, per member (known_device): the value is high-entropy, so a
 * plain hash is enough — NIST SP 800-63B §3.1.1.2 asks for a salted, slow hash only of secrets a
 * person chose. It is not a tracker: HttpOnly, this site only, and linked to nobody until a login
 * completes.
 */
export function newDeviceToken(random: Random): string {
  return newToken(random);
}

/** A value of the shape `newDeviceToken` makes (43 base64url characters), else null. */
export function deviceTokenOf(value: unknown): string | null {
  return typeof value === 'string' && /^[A-Za-z0-9_-]{43}$/.test(value) ? value : null;
}

export function deviceHash(token: string): string {
  return sha256Hex(`kosmo-device:${token}`);
}
