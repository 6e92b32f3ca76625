import { describe, it, expect, beforeAll, afterAll } from 'vitest';
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { testDatabases } from '../support/databases.js';
import { ensureBuilt, kosmoIn, tempDataDir } from '../support/cli.js';

// The binary on a PostgreSQL database (KOSMO_DATABASE_URL), when the suite has one.
const postgres = testDatabases.find((d) => d.name === 'postgresql');

describe.skipIf(!postgres)('kosmo on postgresql (KOSMO_TEST_DATABASE_URL)', () => {
  const dir = tempDataDir();
  let drop: () => Promise<void> = async () => undefined;
  let kosmo: ReturnType<typeof kosmoIn>;
  beforeAll(async () => {
    ensureBuilt();
    const db = await postgres!.create();
    drop = db.drop;
    kosmo = kosmoIn(dir.dataDir, { env: { KOSMO_DATABASE_URL: db.url } });
  }, 180_000);
  afterAll(async () => {
    dir.cleanup();
    await drop();
  });

  it('init migrates the PostgreSQL database (no SQLite file); member and audit commands work on it', async () => {
    expect((await kosmo(['init'])).code).toBe(0);
    expect(existsSync(join(dir.dataDir, 'secret.key'))).toBe(true);
    expect(existsSync(join(dir.dataDir, 'kosmo.sqlite'))).toBe(false);
    expect((await kosmo(['migrate', '--json'])).json).toEqual({ applied: [] });
    const m = (await kosmo(['member', 'issue', '--name', '山田太郎', '--kana', 'ヤマダタロウ', '--birth-date', '1979-08-22', '--card-number', '5', '--json'])).json;
    expect((await kosmo(['member', 'issue', '--name', '山田太郎', '--kana', 'ヤマダタロウ', '--birth-date', '1979-08-22', '--card-number', '5'])).code).toBe(4);
    expect((await kosmo(['member', 'show', m.userId, '--json'])).json.userId).toBe(m.userId);
    expect((await kosmo(['member', 'search', '100%', '--json'])).json).toEqual([]);
    expect((await kosmo(['member', 'search', 'ヤマダ', '--json'])).json).toHaveLength(1);
    expect((await kosmo(['terms', 'pending', '--json'])).json).toMatchObject({ version: 1, total: 1 });
    expect((await kosmo(['audit', '--member', m.userId, '--json'])).json.map((e: { action: string }) => e.action)).toEqual(['member.issue']);
    expect((await kosmo(['member', 'show', 'knobody234'])).code).toBe(3);
  });
});
