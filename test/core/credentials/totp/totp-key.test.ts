import { describe, it, expect } from 'vitest';
import { ScureBase32Plugin } from 'otplib';
import { cryptoRandom } from '../../../../src/core/random.js';
import { formatTotpKey, generateTotpSecret, normalizeTotpKey } from '../../../../src/core/credentials/totp/index.js';
import { seededRandom } from './helpers.js';

describe('generateTotpSecret', () => {
  it('is 32 upper-case base32 characters without padding (160 bits)', () => {
    const secret = generateTotpSecret(cryptoRandom);
    expect(secret).toMatch(/^[A-Z2-7]{32}$/);
    expect(new ScureBase32Plugin().decode(secret)).toHaveLength(20);
  });

  it('asks the injected Random for exactly 20 bytes and encodes them as RFC 4648 base32', () => {
    const requested: number[] = [];
    const fixed = { bytes: (n: number) => (requested.push(n), Buffer.from('12345678901234567890'.slice(0, n))), int: () => 0 };
    // RFC 4648 §10 style check against a known encoding: ASCII "12345678901234567890".
    expect(generateTotpSecret(fixed)).toBe('GEZDGNBVGY3TQOJQGEZDGNBVGY3TQOJQ');
    expect(requested).toEqual([20]);
  });

  it('encodes all-zero and all-one bytes at the alphabet ends', () => {
    expect(generateTotpSecret({ bytes: (n) => Buffer.alloc(n, 0), int: () => 0 })).toBe('A'.repeat(32));
    expect(generateTotpSecret({ bytes: (n) => Buffer.alloc(n, 0xff), int: () => 0 })).toBe('7'.repeat(32));
  });

  it('differs between calls', () => {
    const secrets = new Set(Array.from({ length: 50 }, () => generateTotpSecret(cryptoRandom)));
    expect(secrets.size).toBe(50);
  });

  it('is reproducible with a fixed Random (for tests)', () => {
    expect(generateTotpSecret(seededRandom('x'))).toBe(generateTotpSecret(seededRandom('x')));
  });

  it('throws TypeError if the Random returns too few bytes', () => {
    expect(() => generateTotpSecret({ bytes: () => Buffer.alloc(10), int: () => 0 })).toThrow(TypeError);
  });
});

describe('normalizeTotpKey', () => {
  it.each([
    ['lower case', 'jbswy3dpehpk3pxp'],
    ['groups of four with spaces', 'jbsw y3dp ehpk 3pxp'],
    ['hyphens', 'JBSW-Y3DP-EHPK-3PXP'],
    ['tabs, newlines and doubled spaces', ' JBSW\tY3DP\n EHPK  3PXP '],
    ['full-width letters and digits from an IME', 'ＪＢＳＷ　Ｙ３ＤＰ　ＥＨＰＫ　３ＰＸＰ'],
  ])('accepts %s', (_name, typed) => {
    expect(normalizeTotpKey(typed)).toBe('JBSWY3DPEHPK3PXP');
  });

  it('accepts and drops RFC 4648 padding', () => {
    expect(normalizeTotpKey('mzxw6yq=')).toBe('MZXW6YQ');
    expect(normalizeTotpKey('MZXW6===')).toBe('MZXW6');
  });

  it('returns a 32-character key unchanged', () => {
    const secret = generateTotpSecret(cryptoRandom);
    expect(normalizeTotpKey(secret)).toBe(secret);
  });

  it.each([
    ['empty', ''],
    ['only separators', ' - - '],
    ['digit 0', 'JBSWY3DPEHPK3PX0'],
    ['digit 1', 'JBSWY3DPEHPK3PX1'],
    ['digit 8', 'JBSWY3DPEHPK3PX8'],
    ['punctuation', 'JBSWY3DP.EHPK3PXP'],
    ['padding in the middle', 'JBSW=Y3DPEHPK3PXP'],
    ['base64 characters', 'JBSWY3DP+HPK3PX/'],
    ['an impossible length (1 char)', 'A'],
    ['an impossible length (3 chars)', 'ABC'],
    ['an impossible length (6 chars)', 'ABCDEF'],
    ['non-zero trailing bits (MZXW6YR; MZXW6YQ is "foob")', 'MZXW6YR'],
    ['kana', 'ジェイビー'],
  ])('throws TypeError on %s', (_name, typed) => {
    expect(() => normalizeTotpKey(typed)).toThrow(TypeError);
  });

  it('throws TypeError on a non-string', () => {
    expect(() => normalizeTotpKey(42 as unknown as string)).toThrow(TypeError);
  });
});

describe('formatTotpKey', () => {
  it('groups the key in fours separated by single spaces', () => {
    expect(formatTotpKey('JBSWY3DPEHPK3PXP')).toBe('JBSW Y3DP EHPK 3PXP');
    expect(formatTotpKey('GEZDGNBVGY3TQOJQGEZDGNBVGY3TQOJQ')).toBe('GEZD GNBV GY3T QOJQ GEZD GNBV GY3T QOJQ');
  });

  it('leaves a shorter last group when the length is not a multiple of four', () => {
    expect(formatTotpKey('MZXW6YQ')).toBe('MZXW 6YQ');
  });

  it('formats a key typed in lower case with hyphens the same way', () => {
    expect(formatTotpKey('jbsw-y3dp-ehpk-3pxp')).toBe('JBSW Y3DP EHPK 3PXP');
  });

  it('round-trips through normalizeTotpKey', () => {
    const secret = generateTotpSecret(cryptoRandom);
    expect(normalizeTotpKey(formatTotpKey(secret))).toBe(secret);
    expect(normalizeTotpKey(formatTotpKey(secret).toLowerCase())).toBe(secret);
  });
});
