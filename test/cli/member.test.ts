import { describe, it, expect, beforeAll, afterAll } from 'vitest';
import { ensureBuilt, kosmoIn, tempDataDir } from '../support/cli.js';

const TARO = ['--name', '山田太郎', '--kana', 'ヤマダタロウ', '--birth-date', '1979-08-22'];

describe('kosmo member', () => {
  const dir = tempDataDir();
  const kosmo = kosmoIn(dir.dataDir, { env: { KOSMO_STAFF: 'cli-tester' } });
  beforeAll(async () => {
    ensureBuilt();
    expect((await kosmo(['init'])).code).toBe(0);
  }, 180_000);
  afterAll(() => dir.cleanup());

  async function issued(extra: string[] = []): Promise<{ userId: string; password: string }> {
    const r = await kosmo(['member', 'issue', ...TARO, ...extra, '--json']);
    expect(r.code, r.stderr).toBe(0);
    return r.json;
  }

  describe('issue', () => {
    it('prints the provisional user ID and password once', async () => {
      const r = await kosmo(['member', 'issue', ...TARO, '--email', 'taro@example.jp', '--card-number', '1001']);
      expect(r.code).toBe(0);
      const userId = /仮ユーザID: (k[a-z2-9]{9})$/m.exec(r.stdout)?.[1];
      const password = /仮パスワード: ([A-Za-z2-9]{12})$/m.exec(r.stdout)?.[1];
      expect(userId).toBeDefined();
      expect(password).toBeDefined();
      expect(r.stdout.split(password!).length - 1).toBe(1);
      expect(r.stdout).toContain('一度だけ');
      expect(r.stdout).toMatch(/有効期限: \d{4}\/\d{1,2}\/\d{1,2}/);
      expect(r.stderr).toBe('');
      // show never prints it again
      const show = await kosmo(['member', 'show', userId!]);
      expect(show.stdout).not.toContain(password!);
    });

    it('--json has userId, password, name and the expiry 90 days ahead', async () => {
      const before = Date.now();
      const r = await kosmo(['member', 'issue', ...TARO, '--relationship', 'family', '--json']);
      expect(r.code).toBe(0);
      expect(r.json).toMatchObject({ userId: expect.stringMatching(/^k[a-z2-9]{9}$/), password: expect.stringMatching(/^[A-Za-z2-9]{12}$/), name: '山田太郎' });
      const days = (Date.parse(r.json.expiresAt) - before) / 86_400_000;
      expect(days).toBeGreaterThan(89.9);
      expect(days).toBeLessThan(90.1);
    });

    it('a bad birth date or email is exit 2 and the message names the flag', async () => {
      const bd = await kosmo(['member', 'issue', '--name', '山田太郎', '--kana', 'ヤマダタロウ', '--birth-date', '1979-13-40']);
      expect(bd.code).toBe(2);
      expect(bd.stderr.trim()).toBe('kosmo: エラー: --birth-date の値が正しくありません: 1979-08-22 のような実在する日付を指定してください');
      expect(bd.stdout).toBe('');
      const bdEn = await kosmo(['member', 'issue', '--name', '山田太郎', '--kana', 'ヤマダタロウ', '--birth-date', '1979-13-40'], { env: { KOSMO_LANG: 'en' } });
      expect(bdEn.stderr.trim()).toBe('kosmo: error: invalid value for --birth-date: a real date such as 1979-08-22');
      const email = await kosmo(['member', 'issue', ...TARO, '--email', 'a@@b']);
      expect(email.code).toBe(2);
      expect(email.stderr).toContain('--email');
      const kana = await kosmo(['member', 'issue', '--name', '山田太郎', '--kana', 'Yamada', '--birth-date', '1979-08-22', '--json']);
      expect(kana.code).toBe(2);
      expect(kana.json).toEqual({ error: { code: 'INPUT_INVALID', message: expect.stringContaining('--kana') } });
    });

    it('a missing required flag is a usage error: exit 2, and JSON with --json', async () => {
      const r = await kosmo(['member', 'issue', '--name', '山田太郎']);
      expect(r.code).toBe(2);
      expect(r.stderr).toContain('--kana');
      const j = await kosmo(['member', 'issue', '--name', '山田太郎', '--json']);
      expect(j.code).toBe(2);
      expect(j.json).toEqual({ error: { code: 'USAGE', message: expect.stringContaining('--kana') } });
      const unknown = await kosmo(['member', 'frobnicate', '--json']);
      expect(unknown.code).toBe(2);
      expect(unknown.json.error.code).toBe('USAGE');
    });

    it('the same insurance card twice is exit 4 (MEMBER_EXISTS)', async () => {
      await issued(['--card-symbol', '77', '--card-number', '4242']);
      const r = await kosmo(['member', 'issue', ...TARO, '--card-symbol', '77', '--card-number', '4242', '--json']);
      expect(r.code).toBe(4);
      expect(r.json.error.code).toBe('MEMBER_EXISTS');
    });
  });

  describe('show and search', () => {
    it('show prints the member in Japanese, --json the detail object, English with KOSMO_LANG=en', async () => {
      const m = await issued(['--email', 'show@example.jp', '--card-symbol', '12', '--card-number', '3456', '--card-branch', '01']);
      const r = await kosmo(['member', 'show', m.userId.toUpperCase()]);
      expect(r.code).toBe(0);
      expect(r.stdout).toContain(`ユーザID: ${m.userId}`);
      expect(r.stdout).toContain('氏名: 山田太郎 (ヤマダタロウ)');
      expect(r.stdout).toContain('記号・番号・枝番: 12 / 3456 / 01');
      // Status and lock in the words the TUI uses (src/staff-text), not the stored codes.
      expect(r.stdout).toContain('状態: 仮発行(初回ログイン前)');
      expect(r.stdout).toContain('ロック: なし');
      expect(r.stdout).toContain('続柄: 本人');
      expect(r.stdout).not.toMatch(/provisional|birth_date|\bopen\b/);
      const j = await kosmo(['member', 'show', m.userId, '--json']);
      expect(j.json).toMatchObject({ userId: m.userId, email: 'show@example.jp', status: 'provisional', lock: { state: 'open', failures: 0 }, devices: [] });
      expect(JSON.stringify(j.json)).not.toMatch(/argon2|password"/i);
      const en = await kosmo(['member', 'show', m.userId], { env: { KOSMO_LANG: 'en' } });
      expect(en.stdout).toContain(`User ID: ${m.userId}`);
      expect(en.stdout).toContain('Status: provisional (before first login)');
      expect(en.stdout).toContain('Lock: open');
    });

    it('an unknown member is exit 3 with a clear message naming it, for every member command', async () => {
      const commands: [string[], boolean][] = [
        [['show'], false],
        [['unlock'], true],
        [['disable'], false],
        [['enable'], true],
        [['reissue'], false],
        [['rename', '--name', '新'], true],
      ];
      const results = await Promise.all(commands.map(([[sub, ...rest], json]) => kosmo(['member', sub!, 'knobody234', ...rest, ...(json ? ['--json'] : [])])));
      for (const [i, [[sub], json]] of commands.entries()) {
        const r = results[i]!;
        expect(r.code, sub).toBe(3);
        if (json) expect(r.json).toEqual({ error: { code: 'MEMBER_NOT_FOUND', message: '加入者 knobody234 が見つかりません。' } });
        else expect(r.stderr.trim()).toBe('kosmo: エラー: 加入者 knobody234 が見つかりません。');
      }
      const en = await kosmo(['member', 'show', 'knobody234'], { env: { KOSMO_LANG: 'en' } });
      expect(en.stderr.trim()).toBe('kosmo: error: no member with user ID knobody234');
    });

    it('search finds by name, card number, email and birth date; none is a plain message', async () => {
      const m = await issued(['--email', 'search.me@example.jp', '--card-number', '98765', '--name', '検索花子', '--kana', 'ケンサクハナコ', '--birth-date', '1988-02-29']);
      for (const q of ['ケンサク', '98765', '19880229']) {
        const r = await kosmo(['member', 'search', q, '--json']);
        expect(r.code, q).toBe(0);
        expect(
          r.json.map((x: { userId: string }) => x.userId),
          q,
        ).toEqual([m.userId]);
      }
      const text = await kosmo(['member', 'search', '検索花子']);
      expect(text.stdout).toContain(m.userId);
      expect(text.stdout).toContain('1988-02-29');
      const none = await kosmo(['member', 'search', '存在しない名前']);
      expect(none.code).toBe(0);
      expect(none.stdout.trim()).toBe('該当する加入者はいません。');
      expect((await kosmo(['member', 'search', '山田', '--limit', '0'])).code).toBe(2);
    });
  });

  describe('support actions', () => {
    it('unlock reports whether the member was locked; --json has wasLocked', async () => {
      const m = await issued();
      const r = await kosmo(['member', 'unlock', m.userId]);
      expect(r.code).toBe(0);
      expect(r.stdout.trim()).toBe(`${m.userId} はロックされていませんでした(失敗回数をリセットしました)。`);
      expect((await kosmo(['member', 'unlock', m.userId, '--json'])).json).toEqual({ userId: m.userId, wasLocked: false });
    });

    it('disable and enable change the status and say when nothing changed', async () => {
      const m = await issued();
      const d = await kosmo(['member', 'disable', m.userId]);
      expect(d.code).toBe(0);
      expect(d.stdout.trim()).toBe(`${m.userId} を無効にしました。`);
      expect((await kosmo(['member', 'show', m.userId, '--json'])).json.status).toBe('disabled');
      expect((await kosmo(['member', 'disable', m.userId, '--json'])).json).toEqual({ userId: m.userId, changed: false });
      const e = await kosmo(['member', 'enable', m.userId, '--json']);
      expect(e.json).toEqual({ userId: m.userId, changed: true });
      expect((await kosmo(['member', 'show', m.userId, '--json'])).json.status).toBe('provisional');
      expect((await kosmo(['member', 'enable', m.userId])).stdout.trim()).toBe(`${m.userId} の状態は変わりませんでした。`);
    });

    it('rename changes name and kana; needs at least one; validates kana', async () => {
      const m = await issued();
      const r = await kosmo(['member', 'rename', m.userId, '--name', '山田太朗', '--json']);
      expect(r.json).toEqual({ userId: m.userId, name: '山田太朗', kana: 'ヤマダタロウ' });
      expect((await kosmo(['member', 'rename', m.userId, '--kana', 'ﾔﾏﾀﾞﾀﾛｳ'])).stdout.trim()).toBe(`${m.userId} の氏名を変更しました: 山田太朗 (ヤマダタロウ)`);
      const none = await kosmo(['member', 'rename', m.userId]);
      expect(none.code).toBe(2);
      expect(none.stderr).toContain('--name');
      const bad = await kosmo(['member', 'rename', m.userId, '--kana', 'Yamada']);
      expect(bad.code).toBe(2);
      expect(bad.stderr).toContain('--kana');
    });

    it('reissue prints a new password once; the member is back at the first-login steps', async () => {
      const m = await issued();
      const r = await kosmo(['member', 'reissue', m.userId]);
      expect(r.code).toBe(0);
      const password = /仮パスワード: ([A-Za-z2-9]{12})$/m.exec(r.stdout)?.[1];
      expect(password).toBeDefined();
      expect(password).not.toBe(m.password);
      expect(r.stdout).toContain('初回ログインの手順をやり直します');
      const j = await kosmo(['member', 'reissue', m.userId, '--json']);
      expect(j.json).toEqual({ userId: m.userId, password: expect.stringMatching(/^[A-Za-z2-9]{12}$/) });
      expect(j.json.password).not.toBe(password);
      expect((await kosmo(['member', 'show', m.userId, '--json'])).json).toMatchObject({ status: 'provisional', onboardingStep: 'birth_date' });
    });
  });
});
