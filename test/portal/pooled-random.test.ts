import { describe, it, expect } from 'vitest';
import { pooledBase64, pooledHex } from '../../src/portal/pooled-random.js';

describe('pooled random values (request ids, CSP nonces)', () => {
  it('gives each value its own bytes, across many refills of the pool', () => {
    const seen = new Set<string>();
    // 16 + 8 bytes a round: 3 000 rounds use the 4 KiB pool ~17 times, with refills mid-way.
    for (let i = 0; i < 3000; i++) {
      const nonce = pooledBase64(16);
      const id = pooledHex(8);
      expect(nonce).toMatch(/^[A-Za-z0-9+/]{22}==$/);
      expect(id).toMatch(/^[0-9a-f]{16}$/);
      seen.add(nonce);
      seen.add(id);
    }
    expect(seen.size).toBe(6000);
  });

  it('a value stands for exactly the number of bytes asked for', () => {
    const hex = pooledHex(32);
    expect(Buffer.from(hex, 'hex')).toHaveLength(32);
    const b64 = pooledBase64(24);
    expect(Buffer.from(b64, 'base64')).toHaveLength(24);
  });
});
