import { describe, it, expect } from 'vitest';
import { parseBirthDate } from '../../../src/core/accounts/birth-date.js';

const today = new Date('2026-04-01T00:00:00Z');
const code = (input: unknown) => {
  try {
    parseBirthDate(input, today);
  } catch (e) {
    return (e as { code: string }).code;
  }
  return 'ok';
};

describe('birth date parsing', () => {
  it('accepts the manual form 19790822 and dashed or slashed dates, returning ISO', () => {
    expect(parseBirthDate('19790822', today)).toBe('1979-08-22');
    expect(parseBirthDate('1979-08-22', today)).toBe('1979-08-22');
    expect(parseBirthDate('1979/08/22', today)).toBe('1979-08-22');
    expect(parseBirthDate('  19790822 ', today)).toBe('1979-08-22');
  });

  it('accepts full-width digits and separators (what a Japanese IME types)', () => {
    expect(parseBirthDate('１９７９０８２２', today)).toBe('1979-08-22');
    expect(parseBirthDate('１９７９－０８－２２', today)).toBe('1979-08-22');
  });

  it('refuses dates that do not exist: 1979-13-40, 2/30, 2/29 outside leap years', () => {
    expect(code('1979-13-40')).toBe('BIRTH_DATE_INVALID');
    expect(code('2001-02-30')).toBe('BIRTH_DATE_INVALID');
    expect(code('2001-02-29')).toBe('BIRTH_DATE_INVALID');
    expect(code('1979-00-10')).toBe('BIRTH_DATE_INVALID');
    expect(code('1979-04-31')).toBe('BIRTH_DATE_INVALID');
    expect(parseBirthDate('2000-02-29', today)).toBe('2000-02-29');
  });

  it('refuses a future date (today is fine) and dates before 1900', () => {
    expect(code('2026-04-02')).toBe('BIRTH_DATE_INVALID');
    expect(code('20991231')).toBe('BIRTH_DATE_INVALID');
    expect(parseBirthDate('2026-04-01', today)).toBe('2026-04-01');
    expect(code('1899-12-31')).toBe('BIRTH_DATE_INVALID');
  });

  it('refuses anything that is not eight digits of a date', () => {
    for (const bad of ['', '1979822', '197908221', 'abcdefgh', '79-08-22', '1979.08.22', '1979年8月22日', null, undefined, 19790822]) {
      expect(code(bad), String(bad)).toBe('BIRTH_DATE_INVALID');
    }
  });
});
