import { describe, it, expect } from 'vitest';
import { initializedDataDir } from '../support/cli.js';
import { getWithHost, startServe } from '../support/serve.js';

/**
 * Several societies in one data directory (docs/operations.md): `kosmo society add` / `list` /
 * `unset`, every one-society command refusing to guess (exit 2), and the portal answering each
 * society by the request's host name.
 */
describe('kosmo society add, list, unset and --society', () => {
  const { dir, kosmo } = initializedDataDir();

  it('unset returns a setting to its default (set publicUrl "" is refused, unset works)', async () => {
    expect((await kosmo(['society', 'set', 'publicUrl', 'https://portal.sckenpo.example/'])).code).toBe(0);
    const empty = await kosmo(['society', 'set', 'publicUrl', '', '--json']);
    expect(empty.code).toBe(2);
    expect(empty.json.error.code).toBe('SETTING_INVALID');
    const r = await kosmo(['society', 'unset', 'publicUrl']);
    expect(r.code, r.stderr).toBe(0);
    expect(r.stdout.trim()).toBe('publicUrl を既定値に戻しました。');
    expect((await kosmo(['society', 'show', '--json'])).json.settings.publicUrl).toBeNull();

    await kosmo(['society', 'set', 'password.minLength', '12']);
    const j = await kosmo(['society', 'unset', 'password.minLength', '--json']);
    expect(j.json.settings.password.minLength).toBe(8);
    const name = await kosmo(['society', 'unset', 'name', '--json']);
    expect(name.code).toBe(2);
    expect(name.json.error.code).toBe('SETTING_INVALID');
    const nameText = await kosmo(['society', 'unset', 'name']);
    expect(nameText.stderr.trim()).toBe('kosmo: エラー: name の値が正しくありません: 既定値がありません。`kosmo society set name <値>` で変更してください');
    expect((await kosmo(['society', 'unset', 'password.colour'])).code).toBe(2);
    const audit = await kosmo(['audit', '--action', 'society.setting', '--limit', '1', '--json']);
    expect(audit.json[0].details).toMatchObject({ key: 'password.minLength', before: 12, after: 8, reset: true });
    // Twelve runs of the real binary: as much time as the other CLI suites give a dozen commands
    // (one CI run took over 60 s here while Chromium suites ran beside it).
  }, 180_000);

  it('a second society needs host names for both; add lists it; each command then needs --society (exit 2)', async () => {
    const noHost = await kosmo(['society', 'add', '--code', 'tokyo', '--name', '東京健保', '--json']);
    expect(noHost.code).toBe(2);
    expect(noHost.json.error.code).toBe('INPUT_INVALID');
    const firstHasNone = await kosmo(['society', 'add', '--code', 'tokyo', '--name', '東京健保', '--host', 'portal.tokyo.example']);
    expect(firstHasNone.code).toBe(2);
    expect(firstHasNone.stderr).toContain('sckenpo');
    expect((await kosmo(['society', 'set', 'hostNames', 'portal.sckenpo.example'])).code).toBe(0);
    const taken = await kosmo(['society', 'add', '--code', 'tokyo', '--name', '東京健保', '--host', 'PORTAL.sckenpo.example', '--json']);
    expect(taken.code).toBe(4);
    expect(taken.json.error.code).toBe('HOST_NAME_TAKEN');
    const bad = await kosmo(['society', 'add', '--code', 'tokyo', '--name', '東京健保', '--host', 'not a host']);
    expect(bad.code).toBe(2);

    const added = await kosmo([
      'society',
      'add',
      '--code',
      'tokyo',
      '--name',
      '東京健保',
      '--portal-title',
      '東京健保 加入者サイト',
      '--host',
      'portal.tokyo.example',
      '--host',
      'www.tokyo.example,tokyo.example',
      '--json',
    ]);
    expect(added.code, added.stderr).toBe(0);
    expect(added.json).toMatchObject({ code: 'tokyo', name: '東京健保', portalTitle: '東京健保 加入者サイト', hostNames: ['portal.tokyo.example', 'www.tokyo.example', 'tokyo.example'] });
    expect((await kosmo(['society', 'add', '--code', 'tokyo', '--name', 'x', '--host', 'other.example'])).code).toBe(4);

    const list = await kosmo(['society', 'list', '--json']);
    expect(list.json.map((s: { code: string; hostNames: string[] }) => [s.code, s.hostNames])).toEqual([
      ['sckenpo', ['portal.sckenpo.example']],
      ['tokyo', ['portal.tokyo.example', 'www.tokyo.example', 'tokyo.example']],
    ]);
    const text = await kosmo(['society', 'list']);
    expect(text.stdout).toMatch(/^tokyo {2}東京健保 {2}東京健保 加入者サイト {2}portal\.tokyo\.example,www\.tokyo\.example,tokyo\.example$/m);

    // Ambiguity: exit 2 with the codes named, for every command that works on one society.
    for (const args of [
      ['member', 'search', '山田'],
      ['society', 'show'],
      ['society', 'set', 'contact', 'x'],
      ['society', 'unset', 'contact'],
      ['terms', 'list'],
      ['audit'],
      ['mail', 'list'],
      ['member', 'issue', '--name', '山田太郎', '--kana', 'ヤマダタロウ', '--birth-date', '1979-08-22'],
    ]) {
      const r = await kosmo([...args, '--json']);
      expect(r.code, args.join(' ')).toBe(2);
      expect(r.json.error.code, args.join(' ')).toBe('SOCIETY_AMBIGUOUS');
    }
    const amb = await kosmo(['terms', 'list']);
    expect(amb.stderr.trim()).toBe('kosmo: エラー: 健保組合が複数あります(sckenpo, tokyo)。--society <コード> でどれか一つを指定してください。');
    const ambEn = await kosmo(['terms', 'list'], { env: { KOSMO_LANG: 'en' } });
    expect(ambEn.stderr.trim()).toBe('kosmo: error: the database holds several societies (sckenpo, tokyo): name one with --society <code>');
    expect((await kosmo(['terms', 'list', '--society', 'nosuch'])).code).toBe(3);

    // With --society each command works on that society only.
    const issued = await kosmo(['member', 'issue', '--society', 'tokyo', '--name', '東京花子', '--kana', 'トウキョウハナコ', '--birth-date', '1990-01-02', '--json']);
    expect(issued.code, issued.stderr).toBe(0);
    expect((await kosmo(['member', 'search', '東京', '--society', 'tokyo', '--json'])).json).toHaveLength(1);
    expect((await kosmo(['member', 'search', '東京', '--society', 'sckenpo', '--json'])).json).toHaveLength(0);
    expect((await kosmo(['--society', 'tokyo', 'society', 'show', '--json'])).json.code).toBe('tokyo');
    // The last host name of a society cannot go while there are several.
    const keep = await kosmo(['society', 'unset', 'hostNames', '--society', 'tokyo', '--json']);
    expect(keep.code).toBe(2);
    expect(keep.json.error.code).toBe('SETTING_INVALID');
    expect((await kosmo(['society', 'set', 'hostNames', 'portal.tokyo.example', '--society', 'sckenpo', '--json'])).json.error.code).toBe('HOST_NAME_TAKEN');
  }, 300_000);

  it('the portal answers each society by host name; an unknown host gets no society', async () => {
    const serve = await startServe(dir.dataDir);
    try {
      // The printed address says localhost (passkeys need a host name); it still binds 127.0.0.1.
      expect(serve.printedUrl).toBe(`http://localhost:${serve.port}/`);
      expect(serve.out()).toContain(`kosmo serve: http://localhost:${serve.port}/ で待ち受けています`);
      expect(serve.out()).not.toContain('127.0.0.1');
      const a = await getWithHost(serve.port, 'portal.sckenpo.example');
      expect(a.status).toBe(200);
      expect(a.body).toContain('大和総研健保加入者ページ');
      expect(a.body).not.toContain('東京健保 加入者サイト');
      for (const host of ['portal.tokyo.example', 'WWW.TOKYO.EXAMPLE', `tokyo.example:${serve.port}`]) {
        const b = await getWithHost(serve.port, host);
        expect(b.status, host).toBe(200);
        expect(b.body, host).toContain('東京健保 加入者サイト');
        expect(b.body).not.toContain('大和総研健保加入者ページ');
      }
      const none = await getWithHost(serve.port, 'unknown.example');
      expect(none.status).toBe(404);
    } finally {
      expect(await serve.stop()).toBe(0);
    }
  });
});
