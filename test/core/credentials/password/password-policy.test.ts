import { describe, it, expect } from 'vitest';
import { checkPasswordPolicy } from '../../../../src/core/credentials/password/password-policy.js';
import { commonPasswordCount, isCommonPassword } from '../../../../src/core/credentials/password/common-passwords.js';
import { defaultSettings, type SocietySettings } from '../../../../src/core/society/settings.js';

const policy = defaultSettings().password;
const USER = 'taroyamada1';

function check(password: unknown, opts: { policy?: SocietySettings['password']; userId?: string; confirm?: string } = {}) {
  try {
    return checkPasswordPolicy(opts.policy ?? policy, password, { userId: opts.userId ?? USER, confirm: opts.confirm });
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
      checkPasswordPolicy(tight, 'short', { userId: USER });
    } catch (e) {
      expect((e as Error).message).toBe('パスワードは12文字以上で入力してください。');
    }
    try {
      checkPasswordPolicy(tight, 'x'.repeat(30), { userId: USER });
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

  it('refuses the user ID, ignoring case (FAQ Q7)', () => {
    expect(check('taroyamada1')).toBe('PASSWORD_EQUALS_USER_ID');
    expect(check('TaroYamada1')).toBe('PASSWORD_EQUALS_USER_ID');
    expect(check('taroyamada12')).toBe('taroyamada12');
  });

  it('refuses common passwords from the library list (≥3000 entries), ignoring case', () => {
    expect(commonPasswordCount()).toBeGreaterThanOrEqual(3000);
    expect(check('password1')).toBe('PASSWORD_COMMON');
    expect(check('qwerty123')).toBe('PASSWORD_COMMON');
    expect(check('Password1')).toBe('PASSWORD_COMMON');
    expect(check('QWERTY123')).toBe('PASSWORD_COMMON');
    expect(isCommonPassword('iloveyou1')).toBe(true);
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
