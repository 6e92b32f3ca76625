import { describe, it, expect, beforeAll, afterEach } from 'vitest';
import { existsSync, mkdirSync, readFileSync, statSync, writeFileSync, copyFileSync } from 'node:fs';
import { join } from 'node:path';
import { ensureBuilt, kosmoIn, run, STACK_TRACE, tempDataDir } from '../support/cli.js';

describe('kosmo init and migrate', () => {
  beforeAll(() => ensureBuilt(), 180_000);
  const cleanups: (() => void)[] = [];
  afterEach(() => cleanups.splice(0).forEach((c) => c()));
  function fresh() {
    const d = tempDataDir();
    cleanups.push(d.cleanup);
    return { ...d, kosmo: kosmoIn(d.dataDir) };
  }

  it('creates the data dir, a 0600 secret key, the database and a society, and says how to issue a first member', async () => {
    const { dataDir, kosmo } = fresh();
    const r = await kosmo(['init', '--society-code', 'sckenpo', '--society-name', '大和総研健保']);
    expect(r.code).toBe(0);
    expect(statSync(dataDir).isDirectory()).toBe(true);
    expect(statSync(dataDir).mode & 0o077).toBe(0);
    const key = join(dataDir, 'secret.key');
    expect(statSync(key).mode & 0o777).toBe(0o600);
    expect(readFileSync(key, 'utf8').trim()).toMatch(/^[0-9a-f]{64}$/);
    expect(existsSync(join(dataDir, 'kosmo.sqlite'))).toBe(true);
    expect(r.stdout).toContain(dataDir);
    expect(r.stdout).toContain('大和総研健保 (sckenpo)');
    expect(r.stdout).toContain('kosmo member issue --name');
    expect(r.stderr).toBe('');
    const show = await kosmo(['society', 'show', '--json']);
    expect(show.json).toMatchObject({ code: 'sckenpo', name: '大和総研健保', portalTitle: '大和総研健保加入者ページ' });
    // init publishes the default terms as version 1.
    expect((await kosmo(['terms', 'list', '--json'])).json).toMatchObject([{ version: 1, title: '利用規約' }]);
  });

  it('each data dir gets its own random key', async () => {
    const a = fresh();
    const b = fresh();
    await a.kosmo(['init']);
    await b.kosmo(['init']);
    expect(readFileSync(join(a.dataDir, 'secret.key'), 'utf8')).not.toBe(readFileSync(join(b.dataDir, 'secret.key'), 'utf8'));
  });

  it('--json prints the data dir and society', async () => {
    const { dataDir, kosmo } = fresh();
    const r = await kosmo(['init', '--json', '--portal-title', 'けんぽポータル']);
    expect(r.code).toBe(0);
    expect(r.json).toEqual({ dataDir, society: { code: 'kenpo', name: 'KOSMO健康保険組合', portalTitle: 'けんぽポータル' } });
  });

  it('refuses an existing data dir (exit 4) and leaves it untouched', async () => {
    const { dataDir, kosmo } = fresh();
    await kosmo(['init']);
    const key = readFileSync(join(dataDir, 'secret.key'), 'utf8');
    const r = await kosmo(['init']);
    expect(r.code).toBe(4);
    expect(r.stderr).toContain(dataDir);
    expect(r.stdout).toBe('');
    expect(readFileSync(join(dataDir, 'secret.key'), 'utf8')).toBe(key);
    const j = await kosmo(['init', '--json']);
    expect(j.code).toBe(4);
    expect(j.json).toEqual({ error: { code: 'DATA_DIR_EXISTS', message: expect.stringContaining(dataDir) } });
    // An empty directory is somebody's directory too.
    const other = fresh();
    mkdirSync(other.dataDir);
    expect((await other.kosmo(['init'])).code).toBe(4);
  });

  it('uses KOSMO_DATA_DIR when no --data-dir is given', async () => {
    const { root } = fresh();
    const dir = join(root, 'from-env');
    const kosmo = kosmoIn(dir);
    const r = await kosmo(['init'], { env: {} });
    expect(r.code).toBe(0);
    const viaEnv = await (await import('../support/cli.js')).run(['society', 'show', '--json'], { env: { KOSMO_DATA_DIR: dir } });
    expect(viaEnv.code).toBe(0);
    expect(viaEnv.json.code).toBe('kenpo');
  });

  it('a bad society code is exit 2 naming the flag, and leaves no half-made data dir behind', async () => {
    const { dataDir, kosmo } = fresh();
    const r = await kosmo(['init', '--society-code', 'Bad Code!']);
    expect(r.code).toBe(2);
    expect(r.stderr).toContain('--society-code');
    expect(existsSync(dataDir)).toBe(false);
    expect((await kosmo(['init', '--society-code', 'good'])).code).toBe(0);
  });

  it('migrate: nothing pending on a fresh data dir', async () => {
    const { kosmo } = fresh();
    await kosmo(['init']);
    const r = await kosmo(['migrate']);
    expect(r.code).toBe(0);
    expect(r.stdout.trim()).toBe('適用するマイグレーションはありません。');
    const j = await kosmo(['migrate', '--json']);
    expect(j.json).toEqual({ applied: [] });
    const en = await kosmo(['migrate'], { env: { KOSMO_LANG: 'en' } });
    expect(en.stdout.trim()).toBe('No migrations to apply.');
  });

  it('KOSMO_LANG=en gives English text', async () => {
    const { kosmo } = fresh();
    const r = await kosmo(['init'], { env: { KOSMO_LANG: 'en' } });
    expect(r.stdout).toContain('Created the data directory');
    expect(r.stdout).toContain('To issue a first member');
    expect(r.stdout).not.toMatch(/データディレクトリ/);
    const again = await kosmo(['init'], { env: { KOSMO_LANG: 'en' } });
    expect(again.stderr).toMatch(/^kosmo: error: data directory .* already exists/);
  });

  it('a command on a missing data dir says so in one line: exit 3, no stack trace', async () => {
    const { dataDir, kosmo } = fresh();
    for (const args of [['member', 'show', 'kabcdefghj'], ['society', 'show'], ['migrate'], ['audit'], ['terms', 'list']]) {
      const r = await kosmo(args);
      expect(r.code, args.join(' ')).toBe(3);
      expect(r.stderr.trim().split('\n')).toHaveLength(1);
      expect(r.stderr).toContain(dataDir);
      expect(r.stderr).toContain('kosmo init');
      expect(r.stdout).toBe('');
    }
    const en = await kosmo(['member', 'show', 'kabcdefghj'], { env: { KOSMO_LANG: 'en' } });
    expect(en.stderr.trim()).toBe(`kosmo: error: data directory ${dataDir} does not exist: run \`kosmo init\` first`);
    const j = await kosmo(['member', 'show', 'kabcdefghj', '--json']);
    expect(j.json).toEqual({ error: { code: 'DATA_DIR_MISSING', message: expect.any(String) } });
  });

  it('bad configuration fails in one clear line (exit 2): database URL, secret key, config file', async () => {
    const { dataDir, kosmo } = fresh();
    await kosmo(['init']);
    const badUrl = await kosmo(['society', 'show'], { env: { KOSMO_DATABASE_URL: 'mysql://db/kosmo' } });
    expect(badUrl.code).toBe(2);
    expect(badUrl.stderr).toContain('KOSMO_DATABASE_URL');
    const badKey = await kosmo(['society', 'show', '--json'], { env: { KOSMO_SECRET_KEY: 'too-short' } });
    expect(badKey.code).toBe(2);
    expect(badKey.json.error.code).toBe('CONFIG_INVALID');
    expect(badKey.json.error.message).toContain('KOSMO_SECRET_KEY');
    writeFileSync(join(dataDir, 'kosmo.json'), '{ not json');
    const badFile = await kosmo(['society', 'show']);
    expect(badFile.code).toBe(2);
    expect(badFile.stderr.trim().split('\n')).toHaveLength(1);
    expect(badFile.stderr).toContain('kosmo.json');
  });

  it('an unexpected error is one line pointing to KOSMO_DEBUG (exit 1); KOSMO_DEBUG=1 shows the stack', async () => {
    const { dataDir, kosmo } = fresh();
    await kosmo(['init']);
    const { DatabaseSync } = await import('node:sqlite');
    const db = new DatabaseSync(join(dataDir, 'kosmo.sqlite'));
    db.exec('alter table member rename to member_moved_away');
    db.close();
    const r = await kosmo(['member', 'search', '山田']);
    expect(r.code).toBe(1);
    expect(r.stderr.trim().split('\n')).toHaveLength(1);
    expect(r.stderr).toMatch(/^kosmo: エラー: 予期しないエラーが発生しました。.*KOSMO_DEBUG=1/);
    const j = await kosmo(['member', 'search', '山田', '--json']);
    expect(j.json.error.code).toBe('UNEXPECTED');
    const debug = await run(['--data-dir', dataDir, 'member', 'search', '山田'], { env: { KOSMO_DEBUG: '1' } });
    expect(debug.code).toBe(1);
    expect(debug.stderr).toMatch(STACK_TRACE);
  });

  it('a damaged database file fails in one clear line, without a stack trace', async () => {
    const { dataDir, kosmo } = fresh();
    await kosmo(['init']);
    copyFileSync(join(dataDir, 'secret.key'), join(dataDir, 'secret.key.bak'));
    writeFileSync(join(dataDir, 'kosmo.sqlite'), 'this is not a database'.repeat(100));
    for (const f of ['kosmo.sqlite-wal', 'kosmo.sqlite-shm']) if (existsSync(join(dataDir, f))) writeFileSync(join(dataDir, f), '');
    const r = await kosmo(['member', 'search', '山田']);
    expect(r.code).not.toBe(0);
    expect(r.stderr.trim().split('\n')).toHaveLength(1);
    expect(r.stderr).toMatch(/^kosmo: エラー: /);
  });
});
