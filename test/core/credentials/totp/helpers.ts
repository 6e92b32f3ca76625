import { createHash } from 'node:crypto';
import type { Random } from '../../../../src/core/random.js';

/** RFC 6238 Appendix B: the SHA-1 seed is the ASCII string "12345678901234567890" (20 bytes). */
export const RFC6238_SECRET_BASE32 = 'GEZDGNBVGY3TQOJQGEZDGNBVGY3TQOJQ';

/** A deterministic Random: SHA-256 of a seed and a counter, so tests can fix the secret. */
export function seededRandom(seed: string): Random {
  let counter = 0;
  const next = (n: number): Buffer => {
    const out = Buffer.alloc(n);
    for (let filled = 0; filled < n; filled += 32) {
      createHash('sha256').update(`${seed}:${counter++}`).digest().copy(out, filled);
    }
    return out;
  };
  return { bytes: next, int: (max) => next(4).readUInt32BE(0) % max };
}

/** The start of a 30-second time step as a Date. */
export function stepStart(step: number): Date {
  return new Date(step * 30_000);
}
