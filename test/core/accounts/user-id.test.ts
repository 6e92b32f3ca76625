import { describe, it, expect } from 'vitest';
import { normalizeUserId, validateNewUserId } from '../../../src/core/accounts/user-id.js';

const code = (input: unknown) => {
  try {
    return validateNewUserId(input);
  } catch (e) {
    return (e as { code: string }).code;
  }
};

describe('user ID rules (manual 2-1 ⑦)', () => {
  it('accepts 8 to 13 characters and refuses 7 and 14', () => {
    expect(code('abcdefgh')).toBe('abcdefgh');
    expect(code('abcdefghijklm')).toBe('abcdefghijklm');
    expect(code('abcdefg')).toBe('USER_ID_LENGTH');
    expect(code('abcdefghijklmn')).toBe('USER_ID_LENGTH');
  });

  it('allows lower-case letters, digits and - _ . @ only', () => {
    expect(code('taro-y_m.1@a')).toBe('taro-y_m.1@a');
    for (const bad of ['taro yamada', 'taro!yamada', 'taro#yamada', 'taro+yamada', 'たろうやまだたろう', 'taroyamadä1', 'taro\u0000yamada', 'taro/yamada']) {
      expect(code(bad), bad).toBe('USER_ID_CHARS');
    }
  });

  it('refuses an empty ID', () => {
    expect(code('')).toBe('USER_ID_REQUIRED');
    expect(code('   ')).toBe('USER_ID_REQUIRED');
    expect(code(undefined)).toBe('USER_ID_REQUIRED');
  });

  it('folds upper case to lower case', () => {
    expect(code('TaroYamada01')).toBe('taroyamada01');
    expect(normalizeUserId('KABCDEFGHJ')).toBe('kabcdefghj');
  });

  it('folds full-width letters, digits and symbols (NFKC) and trims', () => {
    expect(code('ＴＡＲＯ＿ｙａｍａｄａ１')).toBe('taro_yamada1');
    expect(code(' taroyamada ')).toBe('taroyamada');
    expect(normalizeUserId('ｋａｂｃｄｅｆｇｈｊ')).toBe('kabcdefghj');
  });
});
