import { describe, it, expect } from 'vitest';
import { ERROR_CODES, KosmoError, KosmoValidationError, isKosmoError, type ErrorCode } from '../../src/core/errors.js';

describe('KosmoError and the code table', () => {
  it('gives every code a kind and a non-empty member message', () => {
    const kinds = new Set(['invalid_input', 'unauthenticated', 'forbidden', 'locked', 'not_found', 'conflict', 'unavailable', 'internal']);
    for (const [code, entry] of Object.entries(ERROR_CODES)) {
      expect(code).toMatch(/^[A-Z][A-Z0-9_]+$/);
      expect(kinds.has(entry.kind), code).toBe(true);
      expect(entry.message.length, code).toBeGreaterThan(0);
    }
  });

  it('quotes the manual for the login and email messages', () => {
    expect(new KosmoError('INVALID_CREDENTIALS').message).toBe('無効なユーザIDまたはパスワードです。');
    expect(new KosmoError('EMAIL_REQUIRED').message).toBe('メールアドレスを入力してください。');
    expect(new KosmoError('EMAIL_TAKEN').message).toBe('他のアカウントで設定されているメールアドレスです。別のメールアドレスを入力してください。');
    expect(new KosmoError('EMAIL_INVALID').message).toBe('無効なメールアドレスです。入力したメールアドレスに誤りがないかご確認ください。');
    expect(new KosmoError('EMAIL_TOO_LONG').message).toBe('設定可能なメールアドレスの最大文字数は 255 文字です。');
  });

  it('carries code, kind, details and cause, and fills {placeholders} from details', () => {
    const cause = new Error('root');
    const e = new KosmoError('PASSWORD_TOO_SHORT', { min: 12 }, { cause });
    expect(e).toBeInstanceOf(Error);
    expect(e.name).toBe('KosmoError');
    expect(e.code).toBe('PASSWORD_TOO_SHORT');
    expect(e.kind).toBe('invalid_input');
    expect(e.details).toEqual({ min: 12 });
    expect(e.cause).toBe(cause);
    expect(e.message).toBe('パスワードは12文字以上で入力してください。');
    expect(e.memberMessage).toBe(e.message);
    // A placeholder without a value stays visible rather than printing "undefined".
    expect(new KosmoError('PASSWORD_TOO_LONG').message).toContain('{max}');
  });

  it('isKosmoError matches the class and, when given, the code', () => {
    const e = new KosmoError('MEMBER_NOT_FOUND');
    expect(isKosmoError(e)).toBe(true);
    expect(isKosmoError(e, 'MEMBER_NOT_FOUND')).toBe(true);
    expect(isKosmoError(e, 'MEMBER_EXISTS')).toBe(false);
    expect(isKosmoError(new Error('x'))).toBe(false);
    expect(isKosmoError({ code: 'MEMBER_NOT_FOUND' })).toBe(false);
  });

  it('a validation error keeps several codes, the first as its code, with all messages', () => {
    const codes: ErrorCode[] = ['EMAIL_INVALID', 'EMAIL_TOO_LONG'];
    const e = new KosmoValidationError(codes);
    expect(e).toBeInstanceOf(KosmoError);
    expect(e.code).toBe('EMAIL_INVALID');
    expect(e.codes).toEqual(codes);
    expect(e.messages).toEqual([ERROR_CODES.EMAIL_INVALID.message, ERROR_CODES.EMAIL_TOO_LONG.message]);
  });
});
