import { KosmoError } from '../errors.js';
import { foldInput, hasControlChars } from '../util/normalize.js';

/** Manual 2-1 ⑦: 8–13 characters; lower-case letters, digits and - _ . @; case-insensitive. */
export const USER_ID_MIN = 8;
export const USER_ID_MAX = 13;
export const USER_ID_PATTERN = /^[a-z0-9\-_.@]+$/;

/** How a typed user ID is compared: full-width folded, trimmed, lower case. */
export function normalizeUserId(input: unknown): string {
  return foldInput(input).toLowerCase();
}

/** Validates a member-chosen user ID and returns its stored (lower-case) form. */
export function validateNewUserId(input: unknown): string {
  const value = normalizeUserId(input);
  if (value === '') throw new KosmoError('USER_ID_REQUIRED');
  if (hasControlChars(value) || !USER_ID_PATTERN.test(value)) throw new KosmoError('USER_ID_CHARS');
  if (value.length < USER_ID_MIN || value.length > USER_ID_MAX) throw new KosmoError('USER_ID_LENGTH');
  return value;
}
