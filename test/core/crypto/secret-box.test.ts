import { describe, it, expect } from 'vitest';
import { createSecretBox } from '../../../src/core/crypto/secret-box.js';

const key = Buffer.alloc(32, 1);
const box = createSecretBox(key);

function flip(sealed: string, part: 1 | 2 | 3): string {
  const parts = sealed.split('.');
  const bytes = Buffer.from(parts[part]!, 'base64url');
  bytes[0] = bytes[0]! ^ 0x01;
  parts[part] = bytes.toString('base64url');
  return parts.join('.');
}

describe('secret box (AES-256-GCM at rest)', () => {
  it('round-trips text, including non-ASCII, and never shows the plain text', () => {
    for (const plain of ['JBSWY3DPEHPK3PXP', '山田太郎のひみつ', '']) {
      const sealed = box.seal(plain, 'totp:1');
      expect(sealed).toMatch(/^v1\.[A-Za-z0-9_-]+\.[A-Za-z0-9_-]*\.[A-Za-z0-9_-]+$/);
      if (plain) expect(sealed).not.toContain(plain);
      expect(box.open(sealed, 'totp:1')).toBe(plain);
    }
  });

  it('uses a fresh IV each time, so equal secrets seal differently', () => {
    const a = box.seal('same', 'ctx');
    const b = box.seal('same', 'ctx');
    expect(a).not.toBe(b);
    expect(a.split('.')[1]).not.toBe(b.split('.')[1]);
  });

  it('refuses a tampered IV, ciphertext or tag', () => {
    const sealed = box.seal('JBSWY3DPEHPK3PXP', 'totp:1');
    for (const part of [1, 2, 3] as const) expect(() => box.open(flip(sealed, part), 'totp:1')).toThrow();
  });

  it('refuses another context (a ciphertext copied to another row) and another key', () => {
    const sealed = box.seal('JBSWY3DPEHPK3PXP', 'totp:1');
    expect(() => box.open(sealed, 'totp:2')).toThrow();
    expect(() => createSecretBox(Buffer.alloc(32, 2)).open(sealed, 'totp:1')).toThrow();
  });

  it('refuses malformed input and keys that are not 32 bytes', () => {
    expect(() => box.open('v2.a.b.c', 'x')).toThrow(TypeError);
    expect(() => box.open('garbage', 'x')).toThrow(TypeError);
    expect(() => createSecretBox(Buffer.alloc(31))).toThrow(TypeError);
  });
});
