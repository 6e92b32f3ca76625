import { randomFillSync } from 'node:crypto';

/**
 * Per-request random values that are not secrets kept anywhere (the request id, the CSP nonce)
 * come from one buffer of CSPRNG output refilled 4 KiB at a time, as `crypto.randomUUID` does:
 * one call into OpenSSL per ~170 requests instead of two per request. Each byte is handed out
 * once. Session tokens, links and codes keep drawing from the core's `Random` (never from here).
 */
const POOL_SIZE = 4096;
const pool = Buffer.alloc(POOL_SIZE);
let offset = POOL_SIZE;

/** The next `n` unused bytes of the pool as text; read in place (no Buffer view per call). */
function take(n: number, encoding: 'hex' | 'base64'): string {
  if (offset + n > POOL_SIZE) {
    randomFillSync(pool);
    offset = 0;
  }
  const start = offset;
  offset += n;
  return pool.toString(encoding, start, offset);
}

export function pooledHex(bytes: number): string {
  return take(bytes, 'hex');
}

export function pooledBase64(bytes: number): string {
  return take(bytes, 'base64');
}
