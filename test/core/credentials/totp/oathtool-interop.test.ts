import { describe, it, expect, beforeAll } from 'vitest';
import { execFileSync } from 'node:child_process';
import { formatTotpKey, generateTotpSecret, normalizeTotpKey, totpCodeAt, totpStep, verifyTotpCode } from '../../../../src/core/credentials/totp/index.js';
import { RFC6238_SECRET_BASE32, seededRandom } from './helpers.js';

/**
 * Interoperability with an independent implementation: OATH Toolkit's oathtool (Debian package
 * `oathtool`, C, libgcrypt). CI installs it; a missing binary fails loudly rather than skipping.
 */
function oathtool(secret: string, unixSeconds: number): string {
  return execFileSync('oathtool', ['--totp', '-b', secret, '--now', `@${unixSeconds}`], { encoding: 'utf8' }).trim();
}

const random = seededRandom('oathtool-interop');
const SECRETS = [
  RFC6238_SECRET_BASE32,
  'JBSWY3DPEHPK3PXP', // the Key Uri Format wiki's example (80 bits)
  generateTotpSecret(random),
  generateTotpSecret(random),
  generateTotpSecret(random),
];
const TIMES = [59, 1111111109, 1700000000, 1775001600 /* 2026-04-01 */, 1775001629, 2000000000, 4102444800 /* 2100-01-01 */];

describe('interoperability with oathtool', () => {
  beforeAll(() => {
    try {
      execFileSync('oathtool', ['--version'], { stdio: 'ignore' });
    } catch {
      throw new Error('oathtool is required for these tests: apt-get install -y oathtool');
    }
  });

  describe.each(SECRETS)('secret %s', (secret) => {
    it.each(TIMES)("verifyTotpCode accepts oathtool's code at %i", (time) => {
      const code = oathtool(secret, time);
      expect(code).toMatch(/^\d{6}$/);
      expect(totpCodeAt(secret, new Date(time * 1000))).toBe(code);
      expect(verifyTotpCode({ secret, code, now: new Date(time * 1000), lastUsedStep: null })).toEqual({ ok: true, step: Math.floor(time / 30) });
    });

    it("accepts oathtool's codes one step behind and ahead, and refuses two steps away", () => {
      const now = 1775001615;
      const at = (offsetSteps: number) => verifyTotpCode({ secret, code: oathtool(secret, now + offsetSteps * 30), now: new Date(now * 1000), lastUsedStep: null });
      expect(at(-1)).toEqual({ ok: true, step: totpStep(new Date(now * 1000)) - 1 });
      expect(at(1)).toEqual({ ok: true, step: totpStep(new Date(now * 1000)) + 1 });
      expect(at(-2)).toMatchObject({ ok: false });
      expect(at(2)).toMatchObject({ ok: false });
    });

    it("a lower-case key typed with spaces gives oathtool's codes", () => {
      const typed = formatTotpKey(secret).toLowerCase();
      expect(typed).toContain(' ');
      expect(normalizeTotpKey(typed)).toBe(secret);
      for (const time of TIMES) {
        const code = oathtool(secret, time);
        expect(totpCodeAt(typed, new Date(time * 1000))).toBe(code);
        expect(verifyTotpCode({ secret: typed, code, now: new Date(time * 1000), lastUsedStep: null })).toMatchObject({ ok: true });
      }
    });
  });
});
