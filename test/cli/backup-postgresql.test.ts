import { describe, it, expect, beforeAll, afterAll } from 'vitest';
import { existsSync, mkdtempSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { testDatabases } from '../support/databases.js';
import { ensureBuilt, kosmoIn, tempDataDir } from '../support/cli.js';
import { activeMemberWithTotp } from '../support/members.js';
import { loadConfig } from '../../src/core/config.js';
import { createCore } from '../../src/core/context.js';
import { systemClock } from '../../src/core/clock.js';
import { findSociety } from '../../src/core/society/find-society.js';

const postgres = testDatabases.find((d) => d.name === 'postgresql');
/** Debian's server binaries, the directory a staff member would put on PATH. */
const PG_BIN = ['/usr/lib/postgresql/17/bin', '/usr/lib/postgresql/16/bin', '/usr/lib/postgresql/15/bin'].find((d) => existsSync(join(d, 'pg_dump')));

/**
 * PostgreSQL backups: `pg_dump --format=custom` from PATH (none on PATH: exit 3, naming where one
 * is), restored with `pg_restore` into an empty database given by KOSMO_DATABASE_URL.
 */
describe.skipIf(!postgres || !PG_BIN)('kosmo backup and restore on PostgreSQL (KOSMO_TEST_DATABASE_URL)', () => {
  const dir = tempDataDir();
  const drops: (() => Promise<void>)[] = [];
  /** A PATH with node's tools but no PostgreSQL client: an empty directory. */
  const emptyPath = mkdtempSync(join(tmpdir(), 'kosmo-nopg-'));
  let url = '';
  let kosmo: ReturnType<typeof kosmoIn>;
  let otpUserId = '';
  const fresh = async () => {
    const db = await postgres!.create();
    drops.push(db.drop);
    return db.url;
  };
  beforeAll(async () => {
    ensureBuilt();
    url = await fresh();
    kosmo = kosmoIn(dir.dataDir, { env: { KOSMO_DATABASE_URL: url } });
    expect((await kosmo(['init'])).code).toBe(0);
    // A member with a sealed TOTP seed, made through the core as the portal would.
    const core = await createCore(loadConfig({ dataDir: dir.dataDir, databaseUrl: url }, {}));
    try {
      const society = await findSociety(core);
      otpUserId = (await activeMemberWithTotp({ core, society, clock: systemClock } as never)).userId;
    } finally {
      await core.db.close();
    }
  }, 180_000);
  afterAll(async () => {
    dir.cleanup();
    rmSync(emptyPath, { recursive: true, force: true });
    for (const drop of drops) await drop();
  });

  it('without pg_dump on PATH: exit 3 naming the directory where one is; nothing written', async () => {
    const file = join(dir.root, 'no-tool.dump');
    const r = await kosmo(['backup', file, '--json'], { env: { PATH: emptyPath } });
    expect(r.code).toBe(3);
    expect(r.json.error.code).toBe('TOOL_MISSING');
    expect(r.json.error.message).toContain('pg_dump');
    expect(r.json.error.message).toContain(PG_BIN);
    expect(existsSync(file)).toBe(false);
  });

  it('with pg_dump on PATH: a custom-format archive, mode 0600, checked with pg_restore --list', async () => {
    const file = join(dir.root, 'kosmo.dump');
    const r = await kosmo(['backup', file, '--json'], { env: { PATH: `${PG_BIN}:${process.env.PATH}` } });
    expect(r.code, r.stderr).toBe(0);
    expect(r.json).toMatchObject({ file, dialect: 'postgresql', check: 'pg_restore --list' });
    expect(readFileSync(file).subarray(0, 5).toString('latin1')).toBe('PGDMP');
    expect(statSync(file).mode & 0o777).toBe(0o600);
    expect(readFileSync(file).includes(Buffer.from(new URL(url).password || 'no-password-in-url'))).toBe(false);
  });

  it('restores into an empty database; refuses a wrong key (exit 5) and a database in use (exit 4)', async () => {
    const file = join(dir.root, 'kosmo.dump');
    const env = { PATH: `${PG_BIN}:${process.env.PATH}` };
    const key = join(dir.dataDir, 'secret.key');

    const wrongKey = join(dir.root, 'wrong.key');
    writeFileSync(wrongKey, 'ab'.repeat(32));
    const target1 = await fresh();
    const wrong = await kosmoIn(join(dir.root, 'pg-wrong'), { env: { ...env, KOSMO_DATABASE_URL: target1 } })(['restore', file, '--secret-key-file', wrongKey, '--json']);
    expect(wrong.code).toBe(5);
    expect(wrong.json.error.code).toBe('SECRET_KEY_MISMATCH');
    expect(existsSync(join(dir.root, 'pg-wrong'))).toBe(false);

    const inUse = await kosmoIn(join(dir.root, 'pg-in-use'), { env: { ...env, KOSMO_DATABASE_URL: url } })(['restore', file, '--secret-key-file', key, '--json']);
    expect(inUse.code).toBe(4);
    expect(inUse.json.error.code).toBe('DATABASE_NOT_EMPTY');

    const toSqlite = await kosmoIn(join(dir.root, 'pg-to-sqlite'), { env })(['restore', file, '--secret-key-file', key, '--json']);
    expect(toSqlite.code).toBe(2);
    expect(toSqlite.json.error.code).toBe('BACKUP_INVALID');

    // The wrong-key attempt left target1 empty, so it takes the restore now.
    const restoredDir = join(dir.root, 'pg-restored');
    const restore = kosmoIn(restoredDir, { env: { ...env, KOSMO_DATABASE_URL: target1 } });
    const r = await restore(['restore', file, '--secret-key-file', key, '--json']);
    expect(r.code, r.stderr).toBe(0);
    expect(r.json).toMatchObject({
      dialect: 'postgresql',
      keyCheck: { count: 3 /* the TOTP seed and the single sign-on signing and cookie keys */, failed: 0 },
      keyFile: join(restoredDir, 'secret.key'),
    });
    expect(statSync(join(restoredDir, 'secret.key')).mode & 0o777).toBe(0o600);
    const shown = await restore(['member', 'show', otpUserId, '--json']);
    expect(shown.code, shown.stderr).toBe(0);
    expect(shown.json.devices.map((d: { kind: string }) => d.kind)).toEqual(['otp']);
    expect((await restore(['migrate', '--json'])).json).toEqual({ applied: [] });

    const noTool = await kosmoIn(join(dir.root, 'pg-no-tool'), { env: { PATH: emptyPath, KOSMO_DATABASE_URL: await fresh() } })(['restore', file, '--secret-key-file', key, '--json']);
    expect(noTool.code).toBe(3);
    expect(noTool.json.error.code).toBe('TOOL_MISSING');
  }, 180_000);
});
