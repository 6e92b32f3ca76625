import { describe, it, expect } from 'vitest';
import { checkPasswordPolicy } from '../../../../src/core/credentials/password/password-policy.js';
import { commonPasswordCount, isCommonPassword } from '../../../../src/core/credentials/password/common-passwords.js';
import { defaultSettings, type SocietySettings } from '../../../../src/core/society/settings.js';

const policy = defaultSettings().password;
const USER = 'taroyamada1';
const SOCIETY = { code: 'sckenpo2026', name: '大和総研健保' };

function check(password: unknown, opts: { policy?: SocietySettings['password']; userId?: string; confirm?: string; society?: { code: string; name: string } } = {}) {
  try {
    return checkPasswordPolicy(opts.policy ?? policy, password, { userId: opts.userId ?? USER, confirm: opts.confirm, society: opts.society ?? SOCIETY });
  } catch (e) {
    return (e as { code: string; details: Record<string, unknown> }).code;
  }
}

describe('password policy (SCREENS.md §2.3 step 4, ASVS 6.2)', () => {
  it('default length is 8 to 64 characters', () => {
    expect(check('Kz7#mQ2w')).toBe('Kz7#mQ2w');
    expect(check('Kz7#mQ2')).toBe('PASSWORD_TOO_SHORT');
    expect(check('Kz7#mQ2w'.repeat(8))).toHaveLength(64);
    expect(check('Kz7#mQ2w'.repeat(8) + 'x')).toBe('PASSWORD_TOO_LONG');
  });

  it("follows the society's tighter minimum and maximum, and names them in the message", () => {
    const tight = { ...policy, minLength: 12, maxLength: 20 };
    expect(check('Kz7#mQ2wPp9', { policy: tight })).toBe('PASSWORD_TOO_SHORT');
    expect(check('Kz7#mQ2wPp9!', { policy: tight })).toBe('Kz7#mQ2wPp9!');
    expect(check('Kz7#mQ2wPp9!Kz7#mQ2w', { policy: tight })).toHaveLength(20);
    expect(check('Kz7#mQ2wPp9!Kz7#mQ2wx', { policy: tight })).toBe('PASSWORD_TOO_LONG');
    try {
      checkPasswordPolicy(tight, 'short', { userId: USER, society: SOCIETY });
    } catch (e) {
      expect((e as Error).message).toBe('パスワードは12文字以上で入力してください。');
    }
    try {
      checkPasswordPolicy(tight, 'x'.repeat(30), { userId: USER, society: SOCIETY });
    } catch (e) {
      expect((e as Error).message).toBe('パスワードは20文字以内で入力してください。');
    }
  });

  it("allows only the society's characters (default printable ASCII: no space, no full-width)", () => {
    expect(check('Kz7 mQ2wPp')).toBe('PASSWORD_CHARS');
    expect(check('Kz7#mQ2wパス')).toBe('PASSWORD_CHARS');
    expect(check('Ｋｚ７＃ｍＱ２ｗ')).toBe('PASSWORD_CHARS');
    expect(check('Kz7#mQ2w\t')).toBe('PASSWORD_CHARS');
    expect(check('!"#$%&\'()*+,-./:;<=>?@[\\]^_`{|}~')).toBe('!"#$%&\'()*+,-./:;<=>?@[\\]^_`{|}~');
    const lettersDigits = { ...policy, allowedChars: 'abcdefghijklmnopqrstuvwxyz0123456789' };
    expect(check('kz7xmq2wpp', { policy: lettersDigits })).toBe('kz7xmq2wpp');
    expect(check('Kz7xmq2wpp', { policy: lettersDigits })).toBe('PASSWORD_CHARS');
  });

  it('refuses the user ID, ignoring case (FAQ Q7), and any password that contains it', () => {
    expect(check('taroyamada1')).toBe('PASSWORD_EQUALS_USER_ID');
    expect(check('TaroYamada1')).toBe('PASSWORD_EQUALS_USER_ID');
    expect(check('taroyamada12')).toBe('PASSWORD_CONTAINS_USER_ID');
    expect(check('#TAROyamada1!x')).toBe('PASSWORD_CONTAINS_USER_ID');
    expect(check('taroyamad#Kz7')).toBe('taroyamad#Kz7');
  });

  it("refuses the society's code and name inside the password, ignoring case (ASVS 6.2.11: context-specific words)", () => {
    expect(check('sckenpo2026')).toBe('PASSWORD_CONTAINS_SOCIETY_CODE');
    expect(check('SCKENPO2026')).toBe('PASSWORD_CONTAINS_SOCIETY_CODE');
    expect(check('my-Sckenpo2026!')).toBe('PASSWORD_CONTAINS_SOCIETY_CODE');
    const anyChars = { ...policy, allowedChars: policy.allowedChars + '大和総研健保' };
    expect(check('大和総研健保#Kz7', { policy: anyChars })).toBe('PASSWORD_CONTAINS_SOCIETY_NAME');
    const latin = { code: 'dkp', name: 'Daiwa Kenpo' };
    expect(check('daiwakenpo#7', { society: latin })).toBe('PASSWORD_CONTAINS_SOCIETY_NAME');
    expect(check('x-DAIWA KENPO'.replace(' ', '_'), { society: latin })).toBe('x-DAIWA_KENPO');
    // A code or name shorter than 4 characters is no word a password is built on: not checked.
    expect(check('dkp#Kz7mQ2w', { society: latin })).toBe('dkp#Kz7mQ2w');
  });

  it('refuses one character repeated', () => {
    for (const pw of ['00000000', '88888888', '55555555', '99999999', 'aaaaaaaaaa', '!!!!!!!!']) expect(check(pw)).toBe('PASSWORD_REPEATED_CHAR');
  });

  it('refuses a plain ascending or descending run of digits or letters', () => {
    for (const pw of ['87654321', '987654321', '12345678', '1234567890', '3456789012', 'abcdefgh', 'ZYXWVUTSR', 'lmnopqrs', '09876543']) expect(check(pw), pw).toBe('PASSWORD_SEQUENCE');
    expect(check('12345679')).not.toBe('PASSWORD_SEQUENCE');
    expect(check('abcdefgi')).not.toBe('PASSWORD_SEQUENCE');
  });

  it('refuses a block shorter than the minimum length, repeated (the repetition adds no real length)', () => {
    for (const pw of ['12341234', '123123123', 'abcabcabc', 'Kz7#Kz7#', '1212121212', 'ab12ab12ab12', 'Kz7#mQ2Kz7#mQ2']) expect(check(pw), pw).toBe('PASSWORD_REPEATED_BLOCK');
    expect(check('Kz7#Kz7#m')).toBe('Kz7#Kz7#m');
    // A block as long as the minimum is a password of its own, said twice.
    expect(check('Kz7#mQ2wKz7#mQ2w')).toBe('Kz7#mQ2wKz7#mQ2w');
    expect(check('Kz7#mQ2wPpKz7#mQ2wPp', { policy: { ...policy, minLength: 12 } })).toBe('PASSWORD_REPEATED_BLOCK');
  });

  it('each reason has its own Japanese message', () => {
    const messages = new Map<string, string>();
    for (const pw of ['00000000', '87654321', '12341234', 'sckenpo2026x', 'xtaroyamada1', 'password1']) {
      try {
        checkPasswordPolicy(policy, pw, { userId: USER, society: SOCIETY });
      } catch (e) {
        messages.set((e as { code: string }).code, (e as Error).message);
      }
    }
    expect([...messages.keys()]).toEqual(['PASSWORD_REPEATED_CHAR', 'PASSWORD_SEQUENCE', 'PASSWORD_REPEATED_BLOCK', 'PASSWORD_CONTAINS_SOCIETY_CODE', 'PASSWORD_CONTAINS_USER_ID', 'PASSWORD_COMMON']);
    expect(new Set(messages.values()).size).toBe(6);
    // eslint-disable-next-line no-control-regex -- the class is "not ASCII", which starts at NUL
    for (const m of messages.values()) expect(m).toMatch(/^[^\x00-\x7f].*。$/u);
  });

  it('a passphrase of ordinary words passes', () => {
    expect(check('tsuyu-no-hareMA-ni-sanpo')).toBe('tsuyu-no-hareMA-ni-sanpo');
    expect(check('Kz7#mQ2wPp')).toBe('Kz7#mQ2wPp');
  });

  it('refuses common passwords and words from the library lists (≥100 000 entries), ignoring case', () => {
    expect(commonPasswordCount()).toBeGreaterThanOrEqual(100_000);
    expect(check('password1')).toBe('PASSWORD_COMMON');
    expect(check('qwerty123')).toBe('PASSWORD_COMMON');
    expect(check('Password1')).toBe('PASSWORD_COMMON');
    expect(check('QWERTY123')).toBe('PASSWORD_COMMON');
    expect(isCommonPassword('iloveyou1')).toBe(true);
    // From the English word and name lists (not in the password list alone).
    expect(check('takahashi')).toBe('PASSWORD_COMMON');
    expect(check('Takahashi')).toBe('PASSWORD_COMMON');
    expect(isCommonPassword('Kz7#mQ2wPp')).toBe(false);
  });

  it('refuses a confirmation that differs, and an empty password', () => {
    expect(check('Kz7#mQ2wPp', { confirm: 'Kz7#mQ2wPP' })).toBe('PASSWORD_MISMATCH');
    expect(check('Kz7#mQ2wPp', { confirm: 'Kz7#mQ2wPp' })).toBe('Kz7#mQ2wPp');
    expect(check('')).toBe('PASSWORD_REQUIRED');
    expect(check(undefined)).toBe('PASSWORD_REQUIRED');
    expect(check(12345678)).toBe('PASSWORD_REQUIRED');
  });

  it('has no composition rules and never trims or folds', () => {
    expect(check('correcthorsebatterystaple')).toBe('correcthorsebatterystaple');
    expect(check('98276345')).toBe('98276345');
    expect(check(' Kz7#mQ2w')).toBe('PASSWORD_CHARS');
  });
});
