import { KosmoValidationError } from '../errors.js';
import { foldInput } from '../util/normalize.js';

export const EMAIL_MAX = 255;

// A deliberately strict subset of RFC 5321/5322 that Japanese carrier and office mail accept:
// no quoted local parts, no `?` and the like (manual 2-1 ⑨ No.3), no dot at either end of the
// local part or twice in a row (the "dot right before @" case the manual names).
const LOCAL = /^[A-Za-z0-9!#$%&'*+/=^_`{|}~-]+(\.[A-Za-z0-9!#$%&'*+/=^_`{|}~-]+)*$/;
const LOCAL_FORBIDDEN = /[?]/;
const LABEL = /^[A-Za-z0-9]([A-Za-z0-9-]{0,61}[A-Za-z0-9])?$/;

/**
 * Validates an email address, returning it lower-cased (addresses are compared case-insensitively).
 * Errors follow manual 2-1 ⑨ exactly: empty → 1; invalid → 3; 256 or more characters → 3 and 4.
 */
export function validateEmail(input: unknown): string {
  const value = foldInput(input);
  if (value === '') throw new KosmoValidationError(['EMAIL_REQUIRED']);
  if (value.length > EMAIL_MAX) throw new KosmoValidationError(['EMAIL_INVALID', 'EMAIL_TOO_LONG']);
  const at = value.lastIndexOf('@');
  const local = value.slice(0, at);
  const domain = value.slice(at + 1);
  const labels = domain.split('.');
  const ok =
    at > 0 && local.length <= 64 && LOCAL.test(local) && !LOCAL_FORBIDDEN.test(local) && labels.length >= 2 && labels.every((l) => LABEL.test(l)) && /^[A-Za-z]{2,}$/.test(labels[labels.length - 1]!);
  if (!ok) throw new KosmoValidationError(['EMAIL_INVALID']);
  return value.toLowerCase();
}
