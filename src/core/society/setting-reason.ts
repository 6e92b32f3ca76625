import type { z } from 'zod';

/**
 * A settings-schema problem as a reason code with parameters (the words are in the staff-text
 * catalogue): `VALUE_TOO_SMALL {path, min}`, `VALUE_URL {path}` …
 */
export function settingReason(issue: z.core.$ZodIssue): Record<string, unknown> & { reason: string } {
  const path = issue.path.map(String).join('.');
  const i = issue as unknown as { origin?: string; minimum?: unknown; maximum?: unknown; format?: string; values?: unknown[] };
  switch (issue.code) {
    case 'too_small':
      return { reason: i.origin === 'string' ? 'TOO_SHORT' : i.origin === 'array' ? 'TOO_FEW' : 'VALUE_TOO_SMALL', path, min: Number(i.minimum) };
    case 'too_big':
      return { reason: i.origin === 'string' ? 'TOO_LONG' : i.origin === 'array' ? 'TOO_MANY' : 'VALUE_TOO_BIG', path, max: Number(i.maximum) };
    case 'invalid_format':
      return { reason: i.format === 'url' ? 'VALUE_URL' : 'VALUE_TYPE', path };
    case 'invalid_value':
      return { reason: 'VALUE_CHOICE', path, values: (i.values ?? []).map(String) };
    case 'invalid_type':
      return { reason: 'VALUE_TYPE', path };
    default:
      return { reason: 'VALUE_INVALID', path };
  }
}
