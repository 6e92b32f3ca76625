import { KosmoError } from '../errors.js';
import { foldInput } from '../util/normalize.js';

/**
 * Parses a birth date typed as `19790822` (the manual's form) or `1979-08-22` / `1979/08/22`,
 * full-width digits allowed. Returns ISO `YYYY-MM-DD`; a date that does not exist, lies in the
 * future or before 1900 is invalid.
 */
export function parseBirthDate(input: unknown, today: Date = new Date()): string {
  const value = foldInput(input);
  const m = /^(\d{4})[-/]?(\d{2})[-/]?(\d{2})$/.exec(value);
  if (!m) throw new KosmoError('BIRTH_DATE_INVALID');
  const [y, mo, d] = [Number(m[1]), Number(m[2]), Number(m[3])];
  const date = new Date(Date.UTC(y, mo - 1, d));
  const real = date.getUTCFullYear() === y && date.getUTCMonth() === mo - 1 && date.getUTCDate() === d;
  if (!real || y < 1900 || date.getTime() > today.getTime()) throw new KosmoError('BIRTH_DATE_INVALID');
  return `${m[1]}-${m[2]}-${m[3]}`;
}
