import { describe, it, expect, beforeAll, afterAll } from 'vitest';
import { writeFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { join } from 'node:path';
import iconv from 'iconv-lite';
import pg from 'pg';
import { testDatabases } from '../support/databases.js';
import { ensureBuilt, kosmoIn, tempDataDir } from '../support/cli.js';
import { TERMS_MAX_BYTES } from '../../src/core/terms/publish-terms.js';

const require = createRequire(import.meta.url);

/**
 * `kosmo terms publish FILE` with files that are no terms text: each is refused with exit 2 and a
 * message naming the problem, before anything reaches the database. And an error the database
 * driver raises reaches staff as the generic message, never as driver text or SQL.
 */
describe.each(testDatabases)('kosmo terms publish with bad files, on $name', (database) => {
  const dir = tempDataDir();
  let url = '';
  let drop: () => Promise<void> = async () => undefined;
  let kosmo: ReturnType<typeof kosmoIn>;
  const file = (name: string, content: string | Uint8Array) => {
    const path = join(dir.root, name);
    writeFileSync(path, content);
    return path;
  };

  beforeAll(async () => {
    ensureBuilt();
    if (database.name === 'postgresql') {
      const db = await database.create();
      url = db.url;
      drop = db.drop;
    }
    kosmo = kosmoIn(dir.dataDir, { env: url ? { KOSMO_DATABASE_URL: url } : {} });
    expect((await kosmo(['init', '--society-code', 'sckenpo', '--society-name', '大和総研健保'])).code).toBe(0);
  }, 180_000);
  afterAll(async () => {
    dir.cleanup();
    await drop();
  });

  async function versions(): Promise<number> {
    return (await kosmo(['terms', 'list', '--json'])).json.length;
  }

  it('a NUL byte: exit 2 naming the character and the line (it used to reach the driver: DriverException, exit 1)', async () => {
    const path = file('nul.txt', '第1条(目的)\n本規約は\u0000加入者ページの利用条件を定めます。\n');
    const r = await kosmo(['terms', 'publish', path]);
    expect(r.code, r.stderr).toBe(2);
    expect(r.stderr.trim()).toBe(`kosmo: エラー: ${path} の 2 行目に制御文字 NUL (U+0000) があります。バイナリファイルや UTF-16 のファイルではなく、UTF-8 のテキストファイルを指定してください。`);
    const j = await kosmo(['terms', 'publish', path, '--json']);
    expect(j.json.error.code).toBe('TERMS_CONTROL_CHARS');
    const en = await kosmo(['terms', 'publish', path], { env: { KOSMO_LANG: 'en' } });
    expect(en.stderr.trim()).toBe(`kosmo: error: ${path} contains the control character NUL (U+0000) on line 2: give a UTF-8 text file, not a binary or UTF-16 one`);
    const esc = await kosmo(['terms', 'publish', file('esc.txt', 'a\n\u001b[31mb\n'), '--json']);
    expect(esc.code).toBe(2);
    expect(esc.json.error).toMatchObject({ code: 'TERMS_CONTROL_CHARS' });
    expect(esc.json.error.message).toContain('U+001B');
    expect(await versions()).toBe(1);
  }, 180_000);

  it('not UTF-8 (Shift_JIS, UTF-16): exit 2 naming the encoding problem and the line', async () => {
    const sjis = file('sjis.txt', iconv.encode('第1条\r\n利用規約です。\r\n', 'Shift_JIS'));
    const r = await kosmo(['terms', 'publish', sjis]);
    expect(r.code).toBe(2);
    expect(r.stderr.trim()).toBe(`kosmo: エラー: ${sjis} は UTF-8 のテキストではありません(1 行目)。Shift_JIS などで保存されたファイルは UTF-8 で保存し直してください。`);
    const en = await kosmo(['terms', 'publish', sjis], { env: { KOSMO_LANG: 'en' } });
    expect(en.stderr.trim()).toBe(`kosmo: error: ${sjis} is not UTF-8 text (line 1): save it as UTF-8`);
    const utf16 = file('utf16.txt', Buffer.concat([Buffer.from([0xff, 0xfe]), Buffer.from('第1条 利用規約\n', 'utf16le')]));
    const u = await kosmo(['terms', 'publish', utf16, '--json']);
    expect(u.code).toBe(2);
    expect(u.json.error.code).toBe('TERMS_NOT_UTF8');
    expect(await versions()).toBe(1);
  }, 180_000);

  it('empty, or only white space: exit 2', async () => {
    for (const content of ['', '\n\n', ' \r\n\t \n', '\uFEFF']) {
      const path = file('empty.txt', content);
      const r = await kosmo(['terms', 'publish', path]);
      expect(r.code).toBe(2);
      expect(r.stderr.trim()).toBe(`kosmo: エラー: ${path} は空です。利用規約の本文を書いた UTF-8 のテキストファイルを指定してください。`);
    }
    const en = await kosmo(['terms', 'publish', file('empty2.txt', ''), '--json'], { env: { KOSMO_LANG: 'en' } });
    expect(en.json.error).toEqual({ code: 'TERMS_EMPTY', message: `${join(dir.root, 'empty2.txt')} is empty: give a UTF-8 text file with the terms` });
    expect(await versions()).toBe(1);
  }, 180_000);

  it(`larger than ${TERMS_MAX_BYTES} bytes (200 KiB): exit 2 with the size and the limit; exactly the limit is published`, async () => {
    const line = 'この規約は加入者ページの利用条件を定めます。\n'; // 67 bytes
    const big = line.repeat(Math.ceil((TERMS_MAX_BYTES + 1) / Buffer.byteLength(line)));
    const path = file('big.txt', big);
    const size = Buffer.byteLength(big);
    const r = await kosmo(['terms', 'publish', path]);
    expect(r.code).toBe(2);
    expect(r.stderr.trim()).toBe(`kosmo: エラー: ${path} は大きすぎます(${size} バイト)。利用規約のファイルは ${TERMS_MAX_BYTES} バイト(200 KiB)までです。`);
    const en = await kosmo(['terms', 'publish', path, '--json'], { env: { KOSMO_LANG: 'en' } });
    expect(en.json.error).toEqual({ code: 'TERMS_TOO_LARGE', message: `${path} is too large (${size} bytes): a terms file may have at most ${TERMS_MAX_BYTES} bytes (200 KiB)` });
    const exact = file('exact.txt', '第1条'.padEnd(10, '。') + 'x'.repeat(TERMS_MAX_BYTES - Buffer.byteLength('第1条'.padEnd(10, '。'))));
    const ok = await kosmo(['terms', 'publish', exact, '--json']);
    expect(ok.code, ok.stderr).toBe(0);
    expect(ok.json.version).toBe(2);
  }, 180_000);

  it('a database driver error reaches staff as the generic message with a hint, never driver text or SQL', async () => {
    // The audit table vanishes behind the binary's back: every query on it fails in the driver.
    if (database.name === 'postgresql') {
      const c = new pg.Client({ connectionString: url });
      await c.connect();
      await c.query('drop table audit_event');
      await c.end();
    } else {
      const Database = require('better-sqlite3') as new (path: string) => { exec(sql: string): void; close(): void };
      const db = new Database(join(dir.dataDir, 'kosmo.sqlite'));
      db.exec('drop table audit_event');
      db.close();
    }
    const leaks = /audit_event|select|from |no such table|does not exist|sqlite|relation/i;
    const text = await kosmo(['audit']);
    expect(text.code).toBe(1);
    expect(text.stderr).toMatch(/^kosmo: エラー: 予期しないエラーが発生しました。/);
    expect(text.stderr).toContain('KOSMO_DEBUG=1');
    expect(text.stderr + text.stdout).not.toMatch(leaks);
    const json = await kosmo(['audit', '--json'], { env: { KOSMO_LANG: 'en' } });
    expect(json.code).toBe(1);
    expect(json.json.error.code).toBe('UNEXPECTED');
    expect(json.json.error.message).toMatch(/^An unexpected error occurred\./);
    expect(json.stdout + json.stderr).not.toMatch(leaks);
  }, 180_000);
});
