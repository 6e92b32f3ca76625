import { describe, it, expect, beforeEach, afterEach } from 'vitest';
import { mkdtempSync, rmSync, writeFileSync, mkdirSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import iconv from 'iconv-lite';
import { testDatabases } from '../../support/databases.js';
import { STAFF, type TestCore } from '../../support/core.js';
import { publishTerms, readTermsFile, TERMS_MAX_BYTES } from '../../../src/core/terms/publish-terms.js';
import { termsText } from '../../../src/core/terms/terms-text.js';
import { listTerms } from '../../../src/core/terms/list-terms.js';
import { perTestSociety } from '../accounts/fixtures.js';

function codeOf(fn: () => unknown): { code: string; details: Record<string, unknown> } | string {
  try {
    return String(fn());
  } catch (e) {
    return { code: (e as { code: string }).code, details: (e as { details: Record<string, unknown> }).details };
  }
}

const utf8 = (s: string) => new TextEncoder().encode(s);

describe('terms text from a file (terms-text.ts)', () => {
  it('accepts UTF-8 text, drops a BOM, makes line ends LF, trims', () => {
    expect(termsText(utf8('\uFEFF第1条\r\n本規約は\t…\r\n\r\n'), 'a.txt')).toBe('第1条\n本規約は\t…');
    expect(termsText('第1条\r本規約')).toBe('第1条\n本規約');
  });

  it('refuses a NUL byte or another control character, naming it and its line', () => {
    expect(codeOf(() => termsText(utf8('第1条\n本規約は\u0000…'), 'a.txt'))).toEqual({ code: 'TERMS_CONTROL_CHARS', details: { file: 'a.txt', line: 2, char: 'NUL (U+0000)' } });
    expect(codeOf(() => termsText('a\n\nb\u001bc'))).toMatchObject({ code: 'TERMS_CONTROL_CHARS', details: { line: 3, char: 'U+001B' } });
    expect(codeOf(() => termsText('a\u007f'))).toMatchObject({ code: 'TERMS_CONTROL_CHARS', details: { char: 'U+007F' } });
    expect(codeOf(() => termsText('a\u0085'))).toMatchObject({ code: 'TERMS_CONTROL_CHARS', details: { char: 'U+0085' } });
  });

  it('refuses bytes that are not UTF-8, naming the first bad line; and UTF-16 with its BOM', () => {
    const sjis = Buffer.concat([utf8('first line\n'), iconv.encode('第1条 利用規約\n', 'Shift_JIS')]);
    expect(codeOf(() => termsText(sjis, 's.txt'))).toEqual({ code: 'TERMS_NOT_UTF8', details: { file: 's.txt', line: 2 } });
    expect(codeOf(() => termsText(Buffer.concat([Buffer.from([0xff, 0xfe]), Buffer.from('abc', 'utf16le')])))).toMatchObject({ code: 'TERMS_NOT_UTF8' });
    // UTF-16 without a BOM is mostly NUL bytes.
    expect(codeOf(() => termsText(Buffer.from('abc\n', 'utf16le')))).toMatchObject({ code: 'TERMS_CONTROL_CHARS', details: { char: 'NUL (U+0000)' } });
  });

  it(`refuses empty text and more than ${TERMS_MAX_BYTES} bytes (200 KiB), as bytes or as text`, () => {
    for (const empty of ['', ' \r\n\t', '\uFEFF']) expect(codeOf(() => termsText(utf8(empty)))).toMatchObject({ code: 'TERMS_EMPTY' });
    expect(termsText(utf8('x'.repeat(TERMS_MAX_BYTES)))).toHaveLength(TERMS_MAX_BYTES);
    expect(codeOf(() => termsText(utf8('x'.repeat(TERMS_MAX_BYTES + 1)), 'big.txt'))).toEqual({
      code: 'TERMS_TOO_LARGE',
      details: { file: 'big.txt', size: TERMS_MAX_BYTES + 1, max: TERMS_MAX_BYTES },
    });
    // The limit is in bytes: 68 267 kanji are 204 801 bytes.
    expect(codeOf(() => termsText('規'.repeat(68_267)))).toMatchObject({ code: 'TERMS_TOO_LARGE' });
  });

  describe('readTermsFile', () => {
    let dir: string;
    beforeEach(() => {
      dir = mkdtempSync(join(tmpdir(), 'kosmo-terms-file-'));
    });
    afterEach(() => rmSync(dir, { recursive: true, force: true }));

    it('reads the bytes as they are; a file over the limit is refused with its real size without reading it all', async () => {
      writeFileSync(join(dir, 'a.txt'), '第1条\r\n');
      expect(Buffer.from(await readTermsFile(join(dir, 'a.txt'))).toString('utf8')).toBe('第1条\r\n');
      writeFileSync(join(dir, 'big.txt'), Buffer.alloc(3 * TERMS_MAX_BYTES, 0x61));
      await expect(readTermsFile(join(dir, 'big.txt'))).rejects.toMatchObject({ code: 'TERMS_TOO_LARGE', details: { size: 3 * TERMS_MAX_BYTES } });
      mkdirSync(join(dir, 'folder'));
      await expect(readTermsFile(join(dir, 'folder'))).rejects.toMatchObject({ code: 'FILE_UNREADABLE' });
      await expect(readTermsFile(join(dir, 'missing.txt'))).rejects.toMatchObject({ code: 'FILE_UNREADABLE', details: { file: join(dir, 'missing.txt') } });
    });
  });
});

describe.each(testDatabases)('publishing a bad terms file on $name', (database) => {
  const current = perTestSociety(database);
  let t: TestCore;
  beforeEach(() => {
    t = current();
  });

  it('refuses a NUL byte before the database sees it (it used to fail in the driver), and publishes nothing', async () => {
    await expect(publishTerms(t.core, STAFF, { societyId: t.society.id, body: utf8('第1条\u0000'), file: 'nul.txt' })).rejects.toMatchObject({ code: 'TERMS_CONTROL_CHARS', kind: 'invalid_input' });
    await expect(publishTerms(t.core, STAFF, { societyId: t.society.id, body: '第1条\u0000' })).rejects.toMatchObject({ code: 'TERMS_CONTROL_CHARS' });
    await expect(publishTerms(t.core, STAFF, { societyId: t.society.id, body: iconv.encode('第1条', 'Shift_JIS') })).rejects.toMatchObject({ code: 'TERMS_NOT_UTF8', kind: 'invalid_input' });
    await expect(publishTerms(t.core, STAFF, { societyId: t.society.id, body: 'x', title: 'a\u0000b' })).rejects.toMatchObject({ code: 'INPUT_INVALID', details: { field: 'title' } });
    expect(await listTerms(t.core, t.society.id)).toEqual([]);
    const ok = await publishTerms(t.core, STAFF, { societyId: t.society.id, body: utf8('\uFEFF第1条\r\n本規約'), file: 'ok.txt' });
    expect(ok.body).toBe('第1条\n本規約');
  });
});
