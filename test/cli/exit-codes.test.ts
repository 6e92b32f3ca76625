import { describe, it, expect } from 'vitest';
import { EXIT, exitCodeFor } from '../../src/cli/exit-codes.js';
import { ERROR_CODES, type ErrorKind } from '../../src/core/errors.js';
import { catalogues, errorText, reasonText, t } from '../../src/staff-text/index.js';

describe('exit codes (DESIGN.md §3)', () => {
  it('maps each error kind to its exit code', () => {
    const table: Record<ErrorKind, number> = {
      invalid_input: 2,
      unauthenticated: 5,
      forbidden: 5,
      locked: 5,
      not_found: 3,
      conflict: 4,
      unavailable: 1,
      internal: 1,
    };
    for (const [kind, code] of Object.entries(table)) expect(exitCodeFor(kind as ErrorKind), kind).toBe(code);
    expect(EXIT).toMatchObject({ ok: 0, unexpected: 1, invalidInput: 2, notFound: 3, conflict: 4, denied: 5 });
  });

  it('the codes staff meet most map as the issue says', () => {
    expect(exitCodeFor(ERROR_CODES.MEMBER_NOT_FOUND.kind)).toBe(3);
    expect(exitCodeFor(ERROR_CODES.INPUT_INVALID.kind)).toBe(2);
    expect(exitCodeFor(ERROR_CODES.SETTING_UNKNOWN.kind)).toBe(2);
    expect(exitCodeFor(ERROR_CODES.FILE_UNREADABLE.kind)).toBe(2);
    expect(exitCodeFor(ERROR_CODES.DATA_DIR_EXISTS.kind)).toBe(4);
    expect(exitCodeFor(ERROR_CODES.DATA_DIR_MISSING.kind)).toBe(3);
    expect(exitCodeFor(ERROR_CODES.MEMBER_EXISTS.kind)).toBe(4);
  });
});

describe('the staff message catalogue', () => {
  it('is Japanese by default and English on request, with the same placeholders filled', () => {
    expect(t('ja', 'member.unlocked', { userId: 'kabc' })).toBe('kabc のロックを解除しました。');
    expect(t('en', 'member.unlocked', { userId: 'kabc' })).toBe('Unlocked kabc.');
    expect(errorText('ja', 'MEMBER_NOT_FOUND', { userId: 'kabc' }, 'x')).toBe('加入者 kabc が見つかりません。');
    expect(errorText('en', 'MEMBER_NOT_FOUND', { userId: 'kabc' }, 'x')).toBe('no member with user ID kabc');
  });

  it("shows a core error's reason code in the staff's language, with its parameters", () => {
    const details = { field: '--birth-date', reason: 'REAL_DATE' };
    expect(errorText('ja', 'INPUT_INVALID', details, 'x')).toBe('--birth-date の値が正しくありません: 1979-08-22 のような実在する日付を指定してください');
    expect(errorText('en', 'INPUT_INVALID', details, 'x')).toBe('invalid value for --birth-date: a real date such as 1979-08-22');
    expect(reasonText('ja', 'MAX_CHARS', { max: 100 })).toBe('100 文字以内で、制御文字は使えません');
    expect(reasonText('ja', 'RANGE', { min: 1, max: 500 })).toBe('1〜500 の整数を指定してください');
    expect(reasonText('ja', 'something new')).toBe('something new');
    expect(errorText('ja', 'SOCIETY_AMBIGUOUS', { codes: ['a', 'b'] }, 'x')).toBe('健保組合が複数あります(a, b)。--society <コード> でどれか一つを指定してください。');
    expect(errorText('ja', 'INPUT_INVALID', { field: '--title' }, 'x')).toBe('--title の値が正しくありません。');
  });

  it('has every key in both languages, and no English sentence inside a Japanese text', () => {
    const ja = Object.keys(catalogues.ja).sort();
    expect(Object.keys(catalogues.en).sort()).toEqual(ja);
    // Identifiers (flags, codes, paths, URLs, commands in backquotes) are fine; English prose is not.
    const prose = /(?<![-\w.:/`{])[a-z]{3,}(?: [a-z]{2,}){2,}/;
    for (const key of ja) {
      const text = catalogues.ja[key]!.replace(/`[^`]*`/g, '')
        .replace(/\{[^}]*\}/g, '')
        .replace(/https?:\/\/\S+/g, '')
        .replace(/npx kosmo[^\n]*/g, '');
      expect(prose.test(text), `${key}: ${catalogues.ja[key]}`).toBe(false);
    }
  });

  it('falls back to the member message for codes without staff text', () => {
    expect(errorText('ja', 'PASSWORD_COMMON', {}, ERROR_CODES.PASSWORD_COMMON.message)).toBe(ERROR_CODES.PASSWORD_COMMON.message);
  });
});
