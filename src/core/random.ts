import { randomBytes, randomInt, hash } from 'node:crypto';

/** Injected randomness, so tests can be deterministic where they need to be. */
export interface Random {
  bytes(n: number): Buffer;
  int(maxExclusive: number): number;
}

export const cryptoRandom: Random = {
  bytes: (n) => randomBytes(n),
  int: (max) => randomInt(max),
};

/** Characters that cannot be confused on paper (no 0/O/o, 1/l/I, etc.). */
export const UNAMBIGUOUS_LOWER = 'abcdefghjkmnpqrstuvwxyz';
export const UNAMBIGUOUS_UPPER = 'ABCDEFGHJKLMNPQRSTUVWXYZ';
export const UNAMBIGUOUS_DIGITS = '23456789';

export function randomString(random: Random, alphabet: string, length: number): string {
  let out = '';
  for (let i = 0; i < length; i++) out += alphabet[random.int(alphabet.length)];
  return out;
}

/** A 256-bit token, base64url (for cookies and links). */
export function newToken(random: Random): string {
  return random.bytes(32).toString('base64url');
}

/** One-shot `crypto.hash`: no Hash object per call (every page view hashes its session cookie). */
export function sha256Hex(value: string): string {
  return hash('sha256', value, 'hex');
}
