import { describe, it, expect } from 'vitest';
import { generateProvisionalPassword, generateProvisionalUserId } from '../../../src/core/accounts/provisional-credentials.js';
import { validateNewUserId } from '../../../src/core/accounts/user-id.js';
import { checkPasswordPolicy } from '../../../src/core/credentials/password/password-policy.js';
import { defaultSettings } from '../../../src/core/society/settings.js';
import { cryptoRandom, type Random } from '../../../src/core/random.js';

const AMBIGUOUS = /[0O1lIio]/;
const N = 2000;

describe('provisional credentials', () => {
  it('user IDs: k + 9 characters, lower case letters and digits without look-alikes, valid as user IDs', () => {
    for (let i = 0; i < N; i++) {
      const id = generateProvisionalUserId(cryptoRandom);
      expect(id).toMatch(/^k[a-z2-9]{9}$/);
      expect(id.slice(1)).not.toMatch(AMBIGUOUS);
      expect(validateNewUserId(id)).toBe(id);
    }
  });

  it('passwords: 12 characters without look-alikes, every class present, accepted by the default policy', () => {
    const policy = defaultSettings().password;
    for (let i = 0; i < N; i++) {
      const pw = generateProvisionalPassword(cryptoRandom);
      expect(pw).toMatch(/^[A-Za-z2-9]{12}$/);
      expect(pw).not.toMatch(AMBIGUOUS);
      expect(pw).toMatch(/[a-z]/);
      expect(pw).toMatch(/[A-Z]/);
      expect(pw).toMatch(/[0-9]/);
      expect(checkPasswordPolicy(policy, pw, { userId: 'kabcdefghj', society: { code: 'sckenpo', name: '大和総研健保' } })).toBe(pw);
    }
  });

  it('are unique across many draws', () => {
    const ids = new Set(Array.from({ length: N }, () => generateProvisionalUserId(cryptoRandom)));
    const pws = new Set(Array.from({ length: N }, () => generateProvisionalPassword(cryptoRandom)));
    expect(ids.size).toBe(N);
    expect(pws.size).toBe(N);
  });

  it('draws again until every class is present', () => {
    // A source that first yields only lower-case letters (index 0 = 'a'), then cycles everything.
    let n = 0;
    const skewed: Random = { bytes: (k) => Buffer.alloc(k), int: (max) => (n++ < 12 ? 0 : (n * 7) % max) };
    const pw = generateProvisionalPassword(skewed);
    expect(pw).not.toBe('a'.repeat(12));
    expect(pw).toMatch(/[a-z]/);
    expect(pw).toMatch(/[A-Z]/);
    expect(pw).toMatch(/[0-9]/);
  });
});
