import { describe, it, expect } from 'vitest';
import { generateTotpSecret, totpCodeAt, verifyTotpCode, TOTP_PARAMS } from '../../../../src/core/credentials/totp/index.js';
import { RFC6238_SECRET_BASE32, seededRandom, stepStart } from './helpers.js';

const secret = generateTotpSecret(seededRandom('verify-totp-code'));
const STEP = 59_166_720; // 2026-04-01T00:00:00Z / 30
const now = new Date(stepStart(STEP).getTime() + 12_345); // somewhere inside the step
const codeFor = (step: number) => totpCodeAt(secret, stepStart(step));

describe('verifyTotpCode: clock drift', () => {
  it('uses the documented parameters (SHA-1, 6 digits, 30 s, ±1 step)', () => {
    expect(TOTP_PARAMS).toEqual({ algorithm: 'SHA1', digits: 6, period: 30, window: 1 });
  });

  it.each([-1, 0, 1])('accepts the code of step now%+d and returns that step', (offset) => {
    expect(verifyTotpCode({ secret, code: codeFor(STEP + offset), now, lastUsedStep: null })).toEqual({ ok: true, step: STEP + offset });
  });

  it.each([-2, 2, -3, 3])('refuses the code of step now%+d as a mismatch', (offset) => {
    const code = codeFor(STEP + offset);
    // Guard against a chance collision with a code inside the window, which would make this test meaningless.
    expect([-1, 0, 1].map((o) => codeFor(STEP + o))).not.toContain(code);
    expect(verifyTotpCode({ secret, code, now, lastUsedStep: null })).toEqual({ ok: false, reason: 'mismatch' });
  });

  it('accepts at the first and the last millisecond of a step alike', () => {
    const code = codeFor(STEP);
    expect(verifyTotpCode({ secret, code, now: stepStart(STEP), lastUsedStep: null })).toEqual({ ok: true, step: STEP });
    expect(verifyTotpCode({ secret, code, now: new Date(stepStart(STEP + 1).getTime() - 1), lastUsedStep: null })).toEqual({ ok: true, step: STEP });
    expect(verifyTotpCode({ secret, code, now: stepStart(STEP + 2), lastUsedStep: null })).toEqual({ ok: false, reason: 'mismatch' });
  });

  it('refuses a correct code for a different secret', () => {
    const other = generateTotpSecret(seededRandom('another device'));
    expect(verifyTotpCode({ secret: other, code: codeFor(STEP), now, lastUsedStep: null })).toEqual({ ok: false, reason: 'mismatch' });
  });
});

describe('verifyTotpCode: replay (RFC 6238 §5.2)', () => {
  it('rejects a code whose time step was already used', () => {
    const first = verifyTotpCode({ secret, code: codeFor(STEP), now, lastUsedStep: null });
    expect(first).toEqual({ ok: true, step: STEP });
    expect(verifyTotpCode({ secret, code: codeFor(STEP), now, lastUsedStep: STEP })).toEqual({ ok: false, reason: 'replay' });
  });

  it('rejects an older step still inside the window once a newer one was used', () => {
    expect(verifyTotpCode({ secret, code: codeFor(STEP - 1), now, lastUsedStep: STEP })).toEqual({ ok: false, reason: 'replay' });
  });

  it('rejects the current step after a code from the step ahead (fast phone clock) was used', () => {
    expect(verifyTotpCode({ secret, code: codeFor(STEP), now, lastUsedStep: STEP + 1 })).toEqual({ ok: false, reason: 'replay' });
  });

  it('accepts the next step after a code was used', () => {
    const later = stepStart(STEP + 1);
    expect(verifyTotpCode({ secret, code: codeFor(STEP + 1), now: later, lastUsedStep: STEP })).toEqual({ ok: true, step: STEP + 1 });
    expect(verifyTotpCode({ secret, code: codeFor(STEP + 1), now, lastUsedStep: STEP })).toEqual({ ok: true, step: STEP + 1 });
  });

  it('still calls a wrong code a mismatch, not a replay, when a step was used', () => {
    const wrong = String((Number(codeFor(STEP)) + 1) % 1_000_000).padStart(6, '0');
    expect(verifyTotpCode({ secret, code: wrong, now, lastUsedStep: STEP })).toEqual({ ok: false, reason: 'mismatch' });
  });

  // Found by search: with the RFC 6238 seed, steps 56188870 and 56188871 both give 617002,
  // and steps 56295193 and 56295195 both give 769717.
  it('returns the highest step when two steps in the window match the same code', () => {
    expect(totpCodeAt(RFC6238_SECRET_BASE32, stepStart(56188870))).toBe('617002');
    expect(totpCodeAt(RFC6238_SECRET_BASE32, stepStart(56188871))).toBe('617002');
    expect(verifyTotpCode({ secret: RFC6238_SECRET_BASE32, code: '617002', now: stepStart(56188870), lastUsedStep: null })).toEqual({ ok: true, step: 56188871 });
    expect(verifyTotpCode({ secret: RFC6238_SECRET_BASE32, code: '769717', now: stepStart(56295194), lastUsedStep: null })).toEqual({ ok: true, step: 56295195 });
  });

  it('accepts the higher of two matching steps when only the lower one was used', () => {
    expect(verifyTotpCode({ secret: RFC6238_SECRET_BASE32, code: '617002', now: stepStart(56188870), lastUsedStep: 56188870 })).toEqual({ ok: true, step: 56188871 });
    expect(verifyTotpCode({ secret: RFC6238_SECRET_BASE32, code: '617002', now: stepStart(56188870), lastUsedStep: 56188871 })).toEqual({ ok: false, reason: 'replay' });
  });
});

describe('verifyTotpCode: input format', () => {
  const good = codeFor(STEP);
  const formatError = { ok: false, reason: 'format' };

  it.each([
    ['empty', ''],
    ['only spaces', '   '],
    ['5 digits', good.slice(0, 5)],
    ['7 digits', `${good}0`],
    ['letters', 'abcdef'],
    ['a letter among digits', `${good.slice(0, 5)}a`],
    ['a space inside', `${good.slice(0, 3)} ${good.slice(3)}`],
    ['a sign', `-${good.slice(1)}`],
    ['10 000 digits', '1'.repeat(10_000)],
    ['10 000 characters starting with the code', good + 'x'.repeat(9_994)],
    ['emoji', '😀😀😀😀😀😀'],
    ['digits with an emoji', `${good}😀`],
    ['Arabic-Indic digits (not folded by NFKC)', '٠١٢٣٤٥'],
    ['a NUL byte', `${good.slice(0, 5)}\u0000`],
  ])('refuses %s as a format error without throwing', (_name, code) => {
    expect(verifyTotpCode({ secret, code, now, lastUsedStep: null })).toEqual(formatError);
  });

  it('refuses a non-string code (e.g. a missing form field) as a format error', () => {
    expect(verifyTotpCode({ secret, code: undefined as unknown as string, now, lastUsedStep: null })).toEqual(formatError);
  });

  it('accepts full-width digits as typed with a Japanese IME', () => {
    const fullWidth = [...good].map((d) => String.fromCharCode(0xff10 + Number(d))).join('');
    expect(fullWidth).not.toBe(good);
    expect(verifyTotpCode({ secret, code: fullWidth, now, lastUsedStep: null })).toEqual({ ok: true, step: STEP });
  });

  // Found by search: with the RFC 6238 seed, step 59270290 (2026-05-06T23:05:00Z) gives 123456.
  it('accepts "１２３４５６" when 123456 is the code', () => {
    expect(totpCodeAt(RFC6238_SECRET_BASE32, stepStart(59270290))).toBe('123456');
    expect(verifyTotpCode({ secret: RFC6238_SECRET_BASE32, code: '１２３４５６', now: stepStart(59270290), lastUsedStep: null })).toEqual({ ok: true, step: 59270290 });
    expect(verifyTotpCode({ secret: RFC6238_SECRET_BASE32, code: '１２３４５６', now: stepStart(59270290 + 5), lastUsedStep: null })).toEqual({ ok: false, reason: 'mismatch' });
  });

  it('trims surrounding white space, including a full-width space', () => {
    expect(verifyTotpCode({ secret, code: ` ${good}\n`, now, lastUsedStep: null })).toEqual({ ok: true, step: STEP });
    expect(verifyTotpCode({ secret, code: `\u3000${good}\u3000`, now, lastUsedStep: null })).toEqual({ ok: true, step: STEP });
  });
});

describe('verifyTotpCode: programmer errors', () => {
  it('throws TypeError for a secret that is not base32', () => {
    expect(() => verifyTotpCode({ secret: 'not base32!', code: '123456', now, lastUsedStep: null })).toThrow(TypeError);
  });

  it('throws TypeError for an invalid Date', () => {
    expect(() => verifyTotpCode({ secret, code: '123456', now: new Date(Number.NaN), lastUsedStep: null })).toThrow(TypeError);
  });

  it('throws TypeError for a lastUsedStep that is not a non-negative integer', () => {
    for (const lastUsedStep of [-1, 1.5, Number.NaN]) {
      expect(() => verifyTotpCode({ secret, code: '123456', now, lastUsedStep })).toThrow(TypeError);
    }
  });
});
