import { KosmoError } from '../../errors.js';
import type { SocietySettings } from '../../society/settings.js';
import { isCommonPassword } from './common-passwords.js';
import { containsWord, isOneCharRepeated, isPlainSequence, isShortBlockRepeated } from './weak-patterns.js';

export interface PasswordContext {
  /** The member's user ID: the password may not equal it (FAQ Q7) nor contain it. */
  userId: string;
  /** The member's society: the password may not contain its code or name. */
  society: { code: string; name: string };
  /** Checked by the caller against the current hash (3-2: "現在ご使用中のパスワードでは更新できません"). */
  confirm?: string;
}

/**
 * SCREENS.md §2.3 step 4 and ASVS 6.2: length within the society's bounds, only its allowed
 * characters, not the user ID; then (ASVS 6.2.11, NIST 800-63B §3.1.1.2) not containing the user
 * ID or the society's code or name, not one character repeated, not a short block repeated, not a
 * plain run of digits or letters, not on the common-password list. Each reason its own code and
 * message. No composition rules (ASVS 6.2.5). Never trims or folds: the password is exactly what
 * was typed.
 */
export function checkPasswordPolicy(policy: SocietySettings['password'], password: unknown, ctx: PasswordContext): string {
  if (typeof password !== 'string' || password === '') throw new KosmoError('PASSWORD_REQUIRED');
  if (ctx.confirm !== undefined && ctx.confirm !== password) throw new KosmoError('PASSWORD_MISMATCH');
  const length = [...password].length;
  if (length < policy.minLength) throw new KosmoError('PASSWORD_TOO_SHORT', { min: policy.minLength });
  if (length > policy.maxLength) throw new KosmoError('PASSWORD_TOO_LONG', { max: policy.maxLength });
  const allowed = new Set(policy.allowedChars);
  if ([...password].some((c) => !allowed.has(c))) throw new KosmoError('PASSWORD_CHARS');
  if (password.toLowerCase() === ctx.userId.toLowerCase()) throw new KosmoError('PASSWORD_EQUALS_USER_ID');
  if (containsWord(password, ctx.userId)) throw new KosmoError('PASSWORD_CONTAINS_USER_ID');
  if (containsWord(password, ctx.society.code)) throw new KosmoError('PASSWORD_CONTAINS_SOCIETY_CODE');
  if (containsWord(password, ctx.society.name)) throw new KosmoError('PASSWORD_CONTAINS_SOCIETY_NAME');
  if (isOneCharRepeated(password)) throw new KosmoError('PASSWORD_REPEATED_CHAR');
  if (isShortBlockRepeated(password, policy.minLength)) throw new KosmoError('PASSWORD_REPEATED_BLOCK');
  if (isPlainSequence(password)) throw new KosmoError('PASSWORD_SEQUENCE');
  if (isCommonPassword(password)) throw new KosmoError('PASSWORD_COMMON');
  return password;
}
