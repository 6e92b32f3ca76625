import { describe, it, expect, beforeAll, afterAll } from 'vitest';
import { existsSync, mkdirSync, readdirSync, readFileSync, statSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { DatabaseSync } from 'node:sqlite';
import { ensureBuilt, kosmoIn, tempDataDir } from '../support/cli.js';
import { startServe, type ServeProcess } from '../support/serve.js';
import { Browser } from '../portal/support/browser.js';
import { keyOf } from '../portal/support/second-factor.js';
import { totpCodeAt } from '../../src/core/credentials/totp/index.js';

const NEW_PASSWORD = 'Kosmo-Backup-2026!';
const pathOf = (url: string) => new URL(url).pathname;

/** A member's whole first login on a running portal, with a real OTP set-up; returns the seed. */
async function firstLoginWithOtp(base: string, issued: { userId: string; password: string }) {
  const b = new Browser(base);
  await b.get('/login');
  let page = await b.post('/login', { userId: issued.userId, password: issued.password });
  expect(pathOf(page.url)).toBe('/login/birth-date');
  page = await b.post('/login/birth-date', { birthDate: '19790822' });
  const version = /name="version" value="(\d+)"/.exec(page.body)![1]!;
  await b.post('/login/terms', { version });
  const userId = `bk${issued.userId.slice(1, 8)}`;
  await b.post('/login/user-id', { userId, method: 'otp', platform: '0' });
  await b.post('/login/password', { password: NEW_PASSWORD, passwordConfirm: NEW_PASSWORD });
  page = await b.post('/login/email', { email: `${userId}@example.jp` });
  expect(pathOf(page.url)).toBe('/setup/factor');
  const secret = keyOf(page.body);
  page = await b.post('/setup/factor', { code: totpCodeAt(secret, new Date()), deviceName: 'iPhone', logoutSessions: '1' });
  expect(pathOf(page.url)).toBe('/');
  return { userId, secret };
}

/** Password, then the authenticator code of the next time step (never the one set-up used). */
async function loginWithOtp(base: string, m: { userId: string; secret: string }): Promise<string> {
  const b = new Browser(base);
  await b.get('/login');
  const first = await b.post('/login', { userId: m.userId, password: NEW_PASSWORD });
  expect(pathOf(first.url)).toBe('/login/second-factor');
  const page = await b.post('/login/second-factor', { code: totpCodeAt(m.secret, new Date(Date.now() + 30_000)) });
  return pathOf(page.url);
}

/** Members logging in with wrong passwords as fast as they can: every attempt writes the database. */
function loginLoad(base: string, workers: number) {
  let stop = false;
  let requests = 0;
  const loops = Array.from({ length: workers }, async (_, w) => {
    while (!stop) {
      const b = new Browser(base);
      await b.get('/login');
      await b.post('/login', { userId: `load${w}x${requests}`, password: 'wrong-password-1' });
      requests += 1;
    }
  });
  return {
    requests: () => requests,
    async end() {
      stop = true;
      await Promise.all(loops);
    },
  };
}

describe('kosmo backup and kosmo restore (SQLite)', () => {
  const dir = tempDataDir();
  const kosmo = kosmoIn(dir.dataDir);
  const backupFile = join(dir.root, 'backups', 'kosmo-backup.sqlite');
  let serve: ServeProcess | null = null;
  let member: { userId: string; secret: string };
  beforeAll(async () => {
    ensureBuilt();
    expect((await kosmo(['init', '--society-code', 'sckenpo', '--society-name', '大和総研健保'])).code).toBe(0);
    mkdirSync(join(dir.root, 'backups'));
  }, 180_000);
  afterAll(async () => {
    await serve?.stop();
    dir.cleanup();
  });

  it('backs up while `kosmo serve` runs under login load; the copy is checked, 0600, and holds no key', async () => {
    serve = await startServe(dir.dataDir);
    const issued = (await kosmo(['member', 'issue', '--name', '山田太郎', '--kana', 'ヤマダタロウ', '--birth-date', '1979-08-22', '--json'])).json;
    member = await firstLoginWithOtp(serve.base, issued);

    const load = loginLoad(serve.base, 4);
    try {
      while (load.requests() < 8) await new Promise((r) => setTimeout(r, 50));
      const r = await kosmo(['backup', backupFile, '--json']);
      expect(r.code, r.stderr).toBe(0);
      expect(r.json).toMatchObject({ file: backupFile, dialect: 'sqlite', check: 'ok', key: { source: 'file', file: join(dir.dataDir, 'secret.key') } });
      expect(load.requests()).toBeGreaterThan(8);
    } finally {
      await load.end();
    }
    expect(statSync(backupFile).mode & 0o777).toBe(0o600);
    expect(readdirSync(join(dir.root, 'backups'))).toEqual(['kosmo-backup.sqlite']); // no temp file left
    const key = readFileSync(join(dir.dataDir, 'secret.key'), 'utf8').trim();
    expect(readFileSync(backupFile).includes(Buffer.from(key))).toBe(false);
    const copy = new DatabaseSync(backupFile, { readOnly: true });
    expect(copy.prepare('pragma integrity_check').get()).toEqual({ integrity_check: 'ok' });
    expect((copy.prepare('select count(*) as n from totp_device').get() as { n: number }).n).toBe(1);
    expect((copy.prepare("select count(*) as n from audit_event where action = 'login.password'").get() as { n: number }).n).toBeGreaterThan(0);
    copy.close();

    const text = await kosmo(['backup', join(dir.root, 'backups', 'second.sqlite')]);
    expect(text.code).toBe(0);
    expect(text.stdout).toContain('バックアップに秘密鍵は含まれません');
    expect(text.stdout).toContain(join(dir.dataDir, 'secret.key'));
    const again = await kosmo(['backup', backupFile, '--json']);
    expect(again.code).toBe(4);
    expect(again.json.error.code).toBe('FILE_EXISTS');
    expect((await kosmo(['backup', backupFile, '--force'])).code).toBe(0);
  }, 240_000);

  it('restores into a new data directory where the member who set up OTP logs in', async () => {
    const target = join(dir.root, 'restored');
    const restore = kosmoIn(target);
    const r = await restore(['restore', backupFile, '--secret-key-file', join(dir.dataDir, 'secret.key'), '--json']);
    expect(r.code, r.stderr).toBe(0);
    expect(r.json).toMatchObject({
      dataDir: target,
      dialect: 'sqlite',
      keyCheck: { count: 3 /* the TOTP seed and the single sign-on signing and cookie keys */, failed: 0 },
      keyFile: join(target, 'secret.key'),
      migrationsApplied: [],
    });
    expect(statSync(join(target, 'secret.key')).mode & 0o777).toBe(0o600);
    expect(statSync(join(target, 'kosmo.sqlite')).mode & 0o777).toBe(0o600);
    expect(readFileSync(join(target, 'secret.key'), 'utf8')).toBe(readFileSync(join(dir.dataDir, 'secret.key'), 'utf8'));

    await serve?.stop();
    serve = null;
    const restored = await startServe(target);
    try {
      expect(await loginWithOtp(restored.base, member)).toBe('/');
    } finally {
      expect(await restored.stop()).toBe(0);
    }
    const shown = await restore(['member', 'show', member.userId, '--json']);
    expect(shown.json.devices).toHaveLength(1);
  }, 240_000);

  it('refuses a wrong key (exit 5) and writes nothing; says so plainly', async () => {
    const wrongKey = join(dir.root, 'wrong.key');
    writeFileSync(wrongKey, 'ab'.repeat(32) + '\n');
    const target = join(dir.root, 'wrong');
    const r = await kosmoIn(target)(['restore', backupFile, '--secret-key-file', wrongKey, '--json']);
    expect(r.code).toBe(5);
    expect(r.json.error.code).toBe('SECRET_KEY_MISMATCH');
    expect(existsSync(target)).toBe(false);
    const text = await kosmoIn(target)(['restore', backupFile], { env: { KOSMO_SECRET_KEY: 'cd'.repeat(32) } });
    expect(text.code).toBe(5);
    expect(text.stderr.trim()).toBe(
      'kosmo: エラー: 秘密鍵がバックアップと一致しません(暗号化済みのシークレット 3 件中 3 件を復号できません)。バックアップを取ったデータディレクトリの秘密鍵を指定してください。何も書き込んでいません。',
    );
    expect(existsSync(target)).toBe(false);
  });

  it('the key may come from KOSMO_SECRET_KEY (no key file written); no key is exit 2; a used directory exit 4', async () => {
    const key = readFileSync(join(dir.dataDir, 'secret.key'), 'utf8').trim();
    const target = join(dir.root, 'from-env');
    const r = await kosmoIn(target)(['restore', backupFile, '--json'], { env: { KOSMO_SECRET_KEY: key } });
    expect(r.code, r.stderr).toBe(0);
    expect(r.json.keyFile).toBeNull();
    expect(existsSync(join(target, 'secret.key'))).toBe(false);

    const none = await kosmoIn(join(dir.root, 'nokey'))(['restore', backupFile, '--json']);
    expect(none.code).toBe(2);
    expect(none.json.error.code).toBe('INPUT_INVALID');
    const conflict = await kosmoIn(join(dir.root, 'two'))(['restore', backupFile, '--secret-key-file', join(dir.dataDir, 'secret.key'), '--json'], { env: { KOSMO_SECRET_KEY: 'cd'.repeat(32) } });
    expect(conflict.code).toBe(2);

    const used = await kosmoIn(dir.dataDir)(['restore', backupFile, '--secret-key-file', join(dir.dataDir, 'secret.key'), '--json']);
    expect(used.code).toBe(4);
    expect(used.json.error.code).toBe('DATA_DIR_NOT_EMPTY');
    const emptyDir = join(dir.root, 'empty-dir');
    mkdirSync(emptyDir);
    expect((await kosmoIn(emptyDir)(['restore', backupFile, '--secret-key-file', join(dir.dataDir, 'secret.key')])).code).toBe(0);

    const notBackup = join(dir.root, 'notes.txt');
    writeFileSync(notBackup, 'not a backup at all');
    const bad = await kosmoIn(join(dir.root, 'bad'))(['restore', notBackup, '--secret-key-file', join(dir.dataDir, 'secret.key'), '--json']);
    expect(bad.code).toBe(2);
    expect(bad.json.error.code).toBe('BACKUP_INVALID');
  }, 120_000);

  it('a fresh installation (no TOTP device yet) is checked by its sealed single sign-on keys: a wrong key is refused', async () => {
    const fresh = tempDataDir();
    try {
      const k = kosmoIn(fresh.dataDir);
      expect((await k(['init'])).code).toBe(0);
      const file = join(fresh.root, 'fresh.sqlite');
      expect((await k(['backup', file])).code).toBe(0);
      const wrongKey = join(fresh.root, 'wrong.key');
      writeFileSync(wrongKey, 'ab'.repeat(32) + '\n', { mode: 0o600 });
      const r = await kosmoIn(join(fresh.root, 'restored'))(['restore', file, '--secret-key-file', wrongKey, '--json']);
      expect(r.code).toBe(5);
      expect(r.json.error.code).toBe('SECRET_KEY_MISMATCH');
    } finally {
      fresh.cleanup();
    }
  }, 120_000);

  it('a backup without any sealed secret restores, saying the key could not be checked', async () => {
    const fresh = tempDataDir();
    try {
      const k = kosmoIn(fresh.dataDir);
      expect((await k(['init'])).code).toBe(0);
      // `kosmo init` seals the single sign-on keys: without them nothing sealed is left.
      const raw = new DatabaseSync(join(fresh.dataDir, 'kosmo.sqlite'));
      raw.exec('delete from oidc_key');
      raw.close();
      const file = join(fresh.root, 'fresh.sqlite');
      expect((await k(['backup', file])).code).toBe(0);
      const r = await kosmoIn(join(fresh.root, 'restored'))(['restore', file, '--secret-key-file', join(fresh.dataDir, 'secret.key')]);
      expect(r.code, r.stderr).toBe(0);
      expect(r.stdout).toContain('秘密鍵が正しいかは確認できません');
    } finally {
      fresh.cleanup();
    }
  }, 120_000);
});
