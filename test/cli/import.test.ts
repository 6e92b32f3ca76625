import { describe, it, expect, beforeAll, afterAll } from 'vitest';
import { spawnSync } from 'node:child_process';
import { existsSync, readFileSync, statSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import argon2 from 'argon2';
import iconv from 'iconv-lite';
import QRCode from 'qrcode';
import { testDatabases } from '../support/databases.js';
import { ensureBuilt } from '../support/cli.js';
import { AuditEvent, MailMessage, Member, PasswordCredential } from '../../src/core/db/entities/index.js';
import { cliDatabase, csvOf, expectOk, members, parseCredentials, type CliDatabase } from './import-fixtures.js';

const PORTAL = 'https://portal.sckenpo.example/';
/** Debian's Chromium, when installed (the real-browser suite uses it): prints the letters to PDF. */
const CHROMIUM = ['/usr/bin/chromium', '/usr/bin/chromium-browser'].find((p) => existsSync(p));

describe.each(testDatabases)('kosmo member import on $name', (database) => {
  let c: CliDatabase;
  let n = 0;
  const file = (name: string) => join(c.dir.root, `${++n}-${name}`);

  beforeAll(async () => {
    ensureBuilt();
    c = await cliDatabase(database);
    expectOk(await c.kosmo(['init', '--society-name', '大和総研健保']));
    expectOk(await c.kosmo(['society', 'set', 'publicUrl', PORTAL]));
  }, 180_000);
  afterAll(async () => c.cleanup());

  async function memberByUserId(userId: string) {
    const em = (await c.core()).db.em();
    const m = await em.findOneOrFail(Member, { userId });
    const cred = await em.findOneOrFail(PasswordCredential, { member: m.id });
    return { m, hash: cred.hash };
  }

  it('issues every member of a good file: the credentials CSV and one A4 notice page per member', async () => {
    const rows = members(4, '8001');
    const input = file('good.csv');
    writeFileSync(input, csvOf(rows));
    const out = file('credentials.csv');
    const letters = file('notices.html');
    const before = Date.now();
    const r = expectOk(await c.kosmo(['member', 'import', input, '--out', out, '--letters', letters, '--json']));
    expect(r.json).toMatchObject({ rows: 4, issued: 4, resumed: 0, skipped: [], bad: [], encoding: 'utf-8' });

    // Both files hold passwords: owner-only from the start.
    expect(statSync(out).mode & 0o777).toBe(0o600);
    expect(statSync(letters).mode & 0o777).toBe(0o600);

    const creds = parseCredentials(readFileSync(out, 'utf8'));
    expect(Object.keys(creds[0]!)).toEqual(['line', 'user_id', 'password', 'name', 'kana', 'card_symbol', 'card_number', 'card_branch', 'relationship', 'email', 'expires_at']);
    expect(creds.map((x) => x.line)).toEqual(['2', '3', '4', '5']);
    for (const [i, cr] of creds.entries()) {
      const spec = rows[i]!;
      expect(cr).toMatchObject({ name: spec.name, kana: spec.kana, card_symbol: '8001', card_number: spec.number, card_branch: '00', relationship: spec.relationship, email: spec.email ?? '' });
      expect(cr.user_id).toMatch(/^k[a-z2-9]{9}$/);
      expect(cr.password).toMatch(/^[A-Za-z2-9]{12}$/);
      // The society default: 90 days, shown in Japan time.
      expect(cr.expires_at).toMatch(/^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}\+09:00$/);
      const days = (Date.parse(cr.expires_at!) - before) / 86_400_000;
      expect(days).toBeGreaterThan(89.9);
      expect(days).toBeLessThan(90.1);
      // What the print shop gets is what the database accepts.
      const { m, hash } = await memberByUserId(cr.user_id!);
      expect(m.status).toBe('provisional');
      expect(m.birthDate).toBe(spec.birth);
      expect(await argon2.verify(hash, cr.password!)).toBe(true);
      expect(Math.abs(m.provisionalExpiresAt!.getTime() - Date.parse(cr.expires_at!))).toBeLessThan(1000);
    }

    const html = readFileSync(letters, 'utf8');
    expect(html).toMatch(/@page\s*\{\s*size:\s*A4/);
    expect(html).toContain('page-break-after: always');
    const pages = html.split('<section class="page"').slice(1);
    expect(pages).toHaveLength(4);
    // The QR code is the portal address, drawn as inline SVG by the qrcode package.
    const qr = (await QRCode.toString(PORTAL, { type: 'svg', errorCorrectionLevel: 'M', margin: 2 })).trim();
    for (const [i, page] of pages.entries()) {
      const cr = creds[i]!;
      expect(page).toContain('大和総研健保');
      expect(page).toContain(`${rows[i]!.name} 様`);
      expect(page).toContain(`<td class="user-id">${cr.user_id}</td>`);
      expect(page).toContain(`<td class="password">${cr.password}</td>`);
      expect(page).toContain(PORTAL);
      expect(page).toContain(qr);
      const exp = new Date(Date.parse(cr.expires_at!));
      const jst = new Date(exp.getTime() + 9 * 3600_000);
      expect(page).toContain(`${jst.getUTCFullYear()}年${jst.getUTCMonth() + 1}月${jst.getUTCDate()}日`);
      // The first-login steps of the manual §2-1, in brief.
      for (const step of ['「ログイン」', '生年月日', '「同意する」', 'ユーザID', 'パスワード', 'メールアドレス', '認証方式']) expect(page).toContain(step);
      // Nothing of another member on this page.
      for (const other of creds.filter((x) => x !== cr)) expect(page).not.toContain(other.password);
    }
    // Printed by a real browser, it is one A4 page per member.
    if (CHROMIUM) {
      const pdf = join(c.dir.root, 'notices.pdf');
      const flags = ['--headless', '--no-sandbox', '--disable-gpu', '--disable-background-networking', '--disable-component-update', '--disable-sync', '--no-pdf-header-footer'];
      const p = spawnSync(CHROMIUM, [...flags, `--print-to-pdf=${pdf}`, `file://${letters}`], { timeout: 60_000 });
      expect(p.status).toBe(0);
      const bytes = readFileSync(pdf).toString('latin1');
      expect(bytes.match(/\/Type\s*\/Page[^s]/g)).toHaveLength(4);
      const box = /\/MediaBox\s*\[\s*0\s+0\s+([\d.]+)\s+([\d.]+)\s*\]/.exec(bytes)!;
      expect([Math.round(Number(box[1])), Math.round(Number(box[2]))]).toEqual([595, 842]); // A4 in points
    }
  });

  it('reports bad rows with line number and reason; the good rows are still issued', async () => {
    const good = members(3, '8101');
    const input = file('bad.csv');
    writeFileSync(
      input,
      [
        'name,kana,birth_date,card_symbol,card_number,card_branch,relationship,email',
        `${good[0]!.name},${good[0]!.kana},${good[0]!.birth},8101,1,00,self,`, // line 2 ok
        '佐藤花子,サトウハナコ,1985-02-30,8101,2,00,self,', // line 3: no such date
        '鈴木一郎,,1970-01-01,8101,3,00,self,', // line 4: kana missing
        '田中次郎,タナカジロウ,1970-01-01,8101,4,00,self,tanaka@@example.jp', // line 5: email
        '"高橋,三郎",タカハシサブロウ,1975/7/7,8101,5,00,家族,', // line 6 ok (quoted comma, Excel date, 家族)
        '伊藤四郎,イトウシロウ,1970-01-01,8101,6,00,self,,extra', // line 7: one field too many
        '渡辺五郎,ワタナベゴロウ,1970-01-01,8101,7,00,spouse,', // line 8: relationship
      ].join('\n') + '\n',
    );
    const out = file('bad-out.csv');
    const r = expectOk(await c.kosmo(['member', 'import', input, '--out', out, '--json']));
    expect(r.json.issued).toBe(2);
    expect(r.json.bad.map((b: { line: number; column: string | null }) => [b.line, b.column])).toEqual([
      [3, 'birth_date'],
      [4, 'kana'],
      [5, 'email'],
      [7, null],
      [8, 'relationship'],
    ]);
    for (const b of r.json.bad) {
      expect(b.reason).toMatch(/^[A-Z_]+$/); // a code for scripts …
      expect(b.message).toMatch(/[ぁ-んァ-ヶ一-龠]/); // … and the words for staff
    }
    expect(r.json.bad.find((b: { line: number }) => b.line === 3).message).toBe('1979-08-22 のような実在する日付を指定してください');
    const creds = parseCredentials(readFileSync(out, 'utf8'));
    expect(creds.map((x) => [x.line, x.name, x.relationship])).toEqual([
      ['2', good[0]!.name, 'self'],
      ['6', '高橋,三郎', 'family'],
    ]);
    expect((await memberByUserId(creds[1]!.user_id!)).m).toMatchObject({ name: '高橋,三郎', birthDate: '1975-07-07', relationship: 'family' });

    // The same report for people, in Japanese by default (the good rows are issued by now).
    const text = await c.kosmo(['member', 'import', input, '--out', file('bad-out2.csv')]);
    expect(text.code).toBe(0);
    expect(text.stdout).toContain('エラー行 5 行');
    expect(text.stdout).toMatch(/^ {2}3行目 birth_date: /m);
    expect(text.stdout).toMatch(/^ {2}7行目: /m);
  });

  it('--strict aborts on any bad row before writing anything (exit 2)', async () => {
    const rows = members(3, '8201');
    rows[1]!.birth = '1979-13-40';
    const input = file('strict.csv');
    writeFileSync(input, csvOf(rows));
    const out = file('strict-out.csv');
    const r = await c.kosmo(['member', 'import', input, '--out', out, '--strict', '--json']);
    expect(r.code).toBe(2);
    expect(r.json.error.code).toBe('INPUT_INVALID');
    expect(r.json.error.bad).toEqual([expect.objectContaining({ line: 3, column: 'birth_date' })]);
    expect(existsSync(out)).toBe(false);
    expect(await (await c.core()).db.em().count(Member, { cardSymbol: '8201' })).toBe(0);
    const text = await c.kosmo(['member', 'import', input, '--out', out, '--strict']);
    expect(text.code).toBe(2);
    expect(text.stderr).toContain('3行目 birth_date');
    expect(text.stderr).toContain('--strict');
    // Fixed, the same file goes through.
    rows[1]!.birth = '1979-12-31';
    writeFileSync(input, csvOf(rows));
    expect(expectOk(await c.kosmo(['member', 'import', input, '--out', out, '--strict', '--json'])).json.issued).toBe(3);
  });

  it('reads Shift_JIS (what Excel writes) with the Japanese headers', async () => {
    const text = [
      '氏名,カナ,生年月日,記号,番号,枝番,続柄,メールアドレス',
      '髙橋①子,タカハシイチコ,1988/4/1,8301,1,01,本人,takahashi@example.jp',
      '斎藤ｼﾞﾛｳ,ｻｲﾄｳｼﾞﾛｳ,1990-05-06,8301,1,02,被扶養者,',
    ].join('\r\n');
    const bytes = iconv.encode(text, 'cp932');
    expect(() => new TextDecoder('utf-8', { fatal: true }).decode(bytes)).toThrow(); // really not UTF-8
    const input = file('sjis.csv');
    writeFileSync(input, bytes);
    const out = file('sjis-out.csv');
    const r = expectOk(await c.kosmo(['member', 'import', input, '--out', out, '--json']));
    expect(r.json).toMatchObject({ encoding: 'shift_jis', issued: 2, bad: [] });
    const creds = parseCredentials(readFileSync(out, 'utf8'));
    expect(creds.map((x) => [x.name, x.kana, x.relationship, x.card_branch])).toEqual([
      ['髙橋1子', 'タカハシイチコ', 'self', '01'], // ① (NEC special) decoded, then NFKC-folded like any input
      ['斎藤ジロウ', 'サイトウジロウ', 'family', '02'],
    ]);
    expect((await memberByUserId(creds[0]!.user_id!)).m.email).toBe('takahashi@example.jp');
  });

  it('reads UTF-8 with a byte-order mark (the first header is still recognised)', async () => {
    const input = file('bom.csv');
    writeFileSync(input, '\uFEFF' + csvOf(members(2, '8401')));
    const r = expectOk(await c.kosmo(['member', 'import', input, '--out', file('bom-out.csv'), '--json']));
    expect(r.json).toMatchObject({ encoding: 'utf-8-bom', issued: 2, bad: [] });
  });

  it('never issues a member twice: duplicates in the file, against the database, and on a rerun', async () => {
    const earlier = expectOk(
      await c.kosmo([
        'member',
        'issue',
        '--name',
        '既存一郎',
        '--kana',
        'キゾンイチロウ',
        '--birth-date',
        '1960-01-01',
        '--card-symbol',
        '8501',
        '--card-number',
        '9',
        '--card-branch',
        '00',
        '--json',
      ]),
    ).json;
    const input = file('dups.csv');
    writeFileSync(
      input,
      [
        'name,kana,birth_date,card_symbol,card_number,card_branch,relationship,email',
        '新規太郎,シンキタロウ,1970-01-01,8501,1,00,self,', // 2
        '新規花子,シンキハナコ,1972-02-02,8501,1,01,family,', // 3: same number, another branch: another member
        '新規太郎,シンキタロウ,1970-01-01,8501,1,00,self,', // 4: same card as line 2
        '既存一郎,キゾンイチロウ,1960-01-01,8501,9,00,self,', // 5: issued before
        'カードナシ,カードナシ,1980-03-03,,,,self,', // 6: no card
        'カードナシ,カードナシ,1980-03-03,,,,self,', // 7: same person without card as line 6
      ].join('\n'),
    );
    const out = file('dups-out.csv');
    const r = expectOk(await c.kosmo(['member', 'import', input, '--out', out, '--json']));
    expect(r.json.issued).toBe(3);
    expect(r.json.bad).toEqual([
      { line: 4, column: null, reason: 'DUPLICATE_ROW', params: { line: 2 }, message: '2行目と同じ加入者です' },
      { line: 7, column: null, reason: 'DUPLICATE_ROW', params: { line: 6 }, message: '6行目と同じ加入者です' },
    ]);
    expect(r.json.skipped).toEqual([{ line: 5, userId: earlier.userId, reason: 'already_issued' }]);
    const em = (await c.core()).db.em();
    expect(await em.count(Member, { cardKey: '8501|1|00' })).toBe(1);
    expect(await em.count(Member, { cardKey: '8501|9|00' })).toBe(1);
    expect(await em.count(Member, { name: 'カードナシ' })).toBe(1);

    // A finished import run again: nothing new, and the print file is not overwritten.
    const printed = readFileSync(out, 'utf8');
    const again = await c.kosmo(['member', 'import', input, '--out', out, '--json']);
    expect(again.code).toBe(2);
    expect(again.json.error.message).toContain('--force');
    expect(readFileSync(out, 'utf8')).toBe(printed);
    const out2 = file('dups-out2.csv');
    const rerun = expectOk(await c.kosmo(['member', 'import', input, '--out', out2, '--json']));
    expect(rerun.json).toMatchObject({ issued: 0, resumed: 0, outputs: [] });
    expect(rerun.json.skipped.map((s: { line: number }) => s.line)).toEqual([2, 3, 5, 6]);
    expect(existsSync(out2)).toBe(false);
    expect(await em.count(Member, { cardSymbol: '8501' })).toBe(3);
  });

  it('--mail queues one credentials mail per member with an address', async () => {
    const rows = members(6, '8601'); // members 3 and 6 have no address
    const input = file('mail.csv');
    writeFileSync(input, csvOf(rows));
    const r = expectOk(await c.kosmo(['member', 'import', input, '--mail', '--json']));
    expect(r.json).toMatchObject({ issued: 6, mailed: 4 });
    const em = (await c.core()).db.em();
    const ids = (await em.find(Member, { cardSymbol: '8601' })).map((m) => m.id);
    const mails = await em.find(MailMessage, { memberId: { $in: ids } }, { orderBy: { toAddress: 'asc' } });
    expect(mails.map((m) => [m.kind, m.toAddress, m.status])).toEqual(
      rows
        .filter((x) => x.email)
        .map((x) => ['provisional-credentials', x.email, 'pending'])
        .sort((a, b) => a[1]!.localeCompare(b[1]!)),
    );
    const m1 = await em.findOneOrFail(Member, { email: rows[0]!.email!, cardSymbol: '8601' });
    const mail1 = mails.find((m) => m.memberId === m1.id)!;
    expect(mail1.toAddress).toBe(rows[0]!.email);
    expect(mail1.bodyText).toContain(m1.userId);
    expect(mail1.bodyText).toContain(PORTAL);
    const audit = await em.find(AuditEvent, { action: 'member.import' }, { orderBy: { id: 'desc' }, limit: 1 });
    expect(audit[0]!.details).toMatchObject({ issued: 6, outputs: ['mail'] });
    expect(JSON.stringify(audit[0]!.details)).not.toMatch(/password/i);
  });

  it('needs an output, and an existing folder for it (exit 2, nothing issued)', async () => {
    const input = file('noout.csv');
    writeFileSync(input, csvOf(members(1, '8701')));
    const none = await c.kosmo(['member', 'import', input]);
    expect(none.code).toBe(2);
    expect(none.stderr).toContain('--out');
    const nodir = await c.kosmo(['member', 'import', input, '--out', join(c.dir.root, 'no', 'such', 'x.csv')]);
    expect(nodir.code).toBe(2);
    const missing = await c.kosmo(['member', 'import', join(c.dir.root, 'missing.csv'), '--out', file('x.csv'), '--json']);
    expect(missing.code).toBe(2);
    expect(missing.json.error.code).toBe('FILE_UNREADABLE');
    const header = file('header.csv');
    writeFileSync(header, 'name,kana,birthday_typo\n山田,ヤマダ,1980-01-01\n');
    const bad = await c.kosmo(['member', 'import', header, '--out', file('y.csv'), '--json']);
    expect(bad.code).toBe(2);
    expect(bad.json.error.message).toContain('birthday_typo');
    expect(await (await c.core()).db.em().count(Member, { cardSymbol: '8701' })).toBe(0);
  });
});
