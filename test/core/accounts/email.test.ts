import { describe, it, expect } from 'vitest';
import { validateEmail } from '../../../src/core/accounts/email.js';
import { KosmoValidationError } from '../../../src/core/errors.js';

function codes(input: unknown): string[] | string {
  try {
    return validateEmail(input);
  } catch (e) {
    expect(e).toBeInstanceOf(KosmoValidationError);
    return (e as KosmoValidationError).codes;
  }
}

/** An address of exactly `n` characters that is otherwise valid. */
function addressOfLength(n: number): string {
  const local = 'a'.repeat(64);
  const tail = '.jp';
  const rest = n - local.length - 1 - tail.length; // domain labels before .jp
  const labels: string[] = [];
  let left = rest;
  while (left > 0) {
    const len = Math.min(63, left);
    labels.push('b'.repeat(len));
    left -= len + 1; // the dot after it
  }
  const addr = `${local}@${labels.join('.')}${tail}`;
  return addr.length === n ? addr : addr.slice(0, 65) + 'c'.repeat(n - addr.length) + addr.slice(65);
}

describe('email rules (manual 2-1 ⑨)', () => {
  it('1: empty → EMAIL_REQUIRED only', () => {
    expect(codes('')).toEqual(['EMAIL_REQUIRED']);
    expect(codes('   ')).toEqual(['EMAIL_REQUIRED']);
    expect(codes(undefined)).toEqual(['EMAIL_REQUIRED']);
  });

  it('3: a question mark or a dot right before @ → EMAIL_INVALID', () => {
    expect(codes('taro?@example.jp')).toEqual(['EMAIL_INVALID']);
    expect(codes('ta?ro@example.jp')).toEqual(['EMAIL_INVALID']);
    expect(codes('taro.@example.jp')).toEqual(['EMAIL_INVALID']);
  });

  it('3: other malformed addresses → EMAIL_INVALID', () => {
    for (const bad of [
      'a@@b',
      'a@b',
      'taro',
      '@example.jp',
      'taro@',
      '.taro@example.jp',
      'ta..ro@example.jp',
      'taro@example..jp',
      'taro@-example.jp',
      'taro@example.j',
      'taro yamada@example.jp',
      '"taro"@example.jp',
      'a'.repeat(65) + '@example.jp',
    ]) {
      expect(codes(bad), bad).toEqual(['EMAIL_INVALID']);
    }
  });

  it('3 and 4 together at 256 characters or more; 255 is accepted', () => {
    const ok = addressOfLength(255);
    expect(ok.length).toBe(255);
    expect(codes(ok)).toBe(ok);
    const long = addressOfLength(256);
    expect(long.length).toBe(256);
    expect(codes(long)).toEqual(['EMAIL_INVALID', 'EMAIL_TOO_LONG']);
    expect(codes('x'.repeat(300))).toEqual(['EMAIL_INVALID', 'EMAIL_TOO_LONG']);
  });

  it('accepts ordinary addresses, returned lower-cased and full-width folded', () => {
    expect(codes('taro.yamada+kenpo@mail.example.co.jp')).toBe('taro.yamada+kenpo@mail.example.co.jp');
    expect(codes('Taro.Yamada@Example.JP')).toBe('taro.yamada@example.jp');
    expect(codes('ｔａｒｏ＠ｅｘａｍｐｌｅ．ｊｐ')).toBe('taro@example.jp');
  });
});
