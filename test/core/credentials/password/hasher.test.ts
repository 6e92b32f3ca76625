import { describe, it, expect, vi } from 'vitest';
import { availableParallelism } from 'node:os';
import argon2 from 'argon2';
import { phcParams } from '../../accounts/fixtures.js';
import { ARGON2_PARAMS, createArgon2Hasher } from '../../../../src/core/credentials/password/hasher.js';

describe('argon2id hasher (DESIGN.md §4)', () => {
  const hasher = createArgon2Hasher();

  it('stores argon2id with m=19456, t=2, p=1 in the PHC string, salted', async () => {
    const a = await hasher.hash('Kz7#mQ2wPp');
    const b = await hasher.hash('Kz7#mQ2wPp');
    expect(phcParams(a)).toEqual({ id: 'argon2id', m: '19456', t: '2', p: '1' });
    expect(a).not.toBe(b);
    expect(a).not.toContain('Kz7#mQ2wPp');
    expect(ARGON2_PARAMS).toMatchObject({ type: argon2.argon2id, memoryCost: 19456, timeCost: 2, parallelism: 1 });
  });

  it('verifies the right password only, and never throws on a bad hash', async () => {
    const h = await hasher.hash('Kz7#mQ2wPp');
    expect(await hasher.verify(h, 'Kz7#mQ2wPp')).toBe(true);
    expect(await hasher.verify(h, 'kz7#mQ2wPp')).toBe(false);
    expect(await hasher.verify('not-a-hash', 'Kz7#mQ2wPp')).toBe(false);
  });

  it('spends a real verify for unknown accounts and always answers false', async () => {
    expect(await hasher.verifyDummy('kosmo-dummy-password-for-timing')).toBe(false);
    expect(await hasher.verifyDummy('anything')).toBe(false);
  });

  it('hands libuv at most its limit of hashes at once; by default one more than the cores', async () => {
    const real = argon2.hash.bind(argon2);
    let inFlight = 0;
    let most = 0;
    const spy = vi.spyOn(argon2, 'hash').mockImplementation(async (...args: Parameters<typeof argon2.hash>) => {
      most = Math.max(most, ++inFlight);
      try {
        return await real(...args);
      } finally {
        inFlight--;
      }
    });
    try {
      const limited = createArgon2Hasher(2);
      await Promise.all(Array.from({ length: 6 }, (_, i) => limited.hash(`Kz7#mQ2wPp${i}`)));
      expect(most).toBe(2);
      most = 0;
      const byDefault = createArgon2Hasher();
      const n = availableParallelism() + 3;
      await Promise.all(Array.from({ length: n }, (_, i) => byDefault.hash(`Kz7#mQ2wPp${i}`)));
      expect(most).toBe(availableParallelism() + 1);
    } finally {
      spy.mockRestore();
    }
  });
});
