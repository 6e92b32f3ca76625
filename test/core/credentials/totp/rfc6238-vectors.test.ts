import { describe, it, expect } from 'vitest';
import { generateSync } from 'otplib';
import { totpCodeAt, totpStep, verifyTotpCode, generateTotpSecret } from '../../../../src/core/credentials/totp/index.js';
import { RFC6238_SECRET_BASE32, seededRandom } from './helpers.js';

// RFC 6238 Appendix B, SHA-1 column: Unix time → T (hex) → 8-digit TOTP.
const VECTORS = [
  { time: 59, t: 0x1, totp8: '94287082' },
  { time: 1111111109, t: 0x23523ec, totp8: '07081804' },
  { time: 1111111111, t: 0x23523ed, totp8: '14050471' },
  { time: 1234567890, t: 0x273ef07, totp8: '89005924' },
  { time: 2000000000, t: 0x3f940aa, totp8: '69279037' },
  { time: 20000000000, t: 0x27bc86aa, totp8: '65353130' },
] as const;

describe('RFC 6238 Appendix B (SHA-1)', () => {
  it('the base32 test secret is the ASCII seed "12345678901234567890"', () => {
    expect(Buffer.from('12345678901234567890').toString('hex')).toBe('3132333435363738393031323334353637383930');
    // Decoding is exercised through totpCodeAt below; this pins the fixture itself.
    expect(RFC6238_SECRET_BASE32).toHaveLength(32);
  });

  it.each(VECTORS)('time $time is step T=$t', ({ time, t }) => {
    expect(totpStep(new Date(time * 1000))).toBe(t);
  });

  // Our 6-digit code is the 8-digit value's last six digits: both are binary mod 10^digits
  // (RFC 4226 §5.3), and 10^6 divides 10^8.
  it.each(VECTORS)('time $time gives the last six digits of $totp8', ({ time, totp8 }) => {
    expect(totpCodeAt(RFC6238_SECRET_BASE32, new Date(time * 1000))).toBe(totp8.slice(-6));
  });

  it.each(VECTORS)('verifyTotpCode accepts the vector at time $time in its own step', ({ time, t, totp8 }) => {
    expect(verifyTotpCode({ secret: RFC6238_SECRET_BASE32, code: totp8.slice(-6), now: new Date(time * 1000), lastUsedStep: null })).toEqual({ ok: true, step: t });
  });

  it('keeps leading zeros (081804 at 1111111109, 005924 at 1234567890)', () => {
    expect(totpCodeAt(RFC6238_SECRET_BASE32, new Date(1111111109_000))).toBe('081804');
    expect(totpCodeAt(RFC6238_SECRET_BASE32, new Date(1234567890_000))).toBe('005924');
  });

  it('agrees with otplib generateSync for 200 random secrets and times', () => {
    const random = seededRandom('otplib-cross-check');
    for (let i = 0; i < 200; i++) {
      const secret = generateTotpSecret(random);
      const epoch = random.int(4_000_000_000);
      const theirs = generateSync({ secret, epoch, algorithm: 'sha1', digits: 6, period: 30 });
      expect(totpCodeAt(secret, new Date(epoch * 1000)), `secret ${secret} at ${epoch}`).toBe(theirs);
    }
  });
});
