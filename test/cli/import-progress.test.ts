import { describe, it, expect, beforeAll, afterAll } from 'vitest';
import { spawnSync } from 'node:child_process';
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { testDatabases } from '../support/databases.js';
import { BIN, ROOT, ensureBuilt } from '../support/cli.js';
import { cliDatabase, csvOf, expectOk, members, type CliDatabase } from './import-fixtures.js';

const hasScript = spawnSync('script', ['--version']).status === 0;

describe('kosmo member import progress', () => {
  let c: CliDatabase;
  beforeAll(async () => {
    ensureBuilt();
    c = await cliDatabase(testDatabases[0]!);
    expectOk(await c.kosmo(['init']));
  }, 180_000);
  afterAll(async () => c.cleanup());

  it('prints a plain progress line per written batch when stdout is not a terminal; --json keeps them off stdout', async () => {
    const input = join(c.dir.root, 'plain.csv');
    writeFileSync(input, csvOf(members(60, '6001')));
    const r = expectOk(await c.kosmo(['member', 'import', input, '--out', join(c.dir.root, 'plain-out.csv'), '--batch-size', '20']));
    const lines = r.stdout.split('\n').filter((l) => l.startsWith('進捗: '));
    expect(lines).toEqual(['進捗: 20/60 名を登録しました', '進捗: 40/60 名を登録しました', '進捗: 60/60 名を登録しました']);
    expect(r.stdout).not.toContain('\r');
    expect(r.stdout).toContain('取込結果: 60 行 — 新規発行 60 名');

    const input2 = join(c.dir.root, 'json.csv');
    writeFileSync(input2, csvOf(members(30, '6002')));
    const j = expectOk(await c.kosmo(['member', 'import', input2, '--out', join(c.dir.root, 'json-out.csv'), '--batch-size', '10', '--json']));
    expect(j.json.issued).toBe(30); // stdout is one JSON document
    expect(j.stderr).toContain('進捗: 30/30 名を登録しました');
  });

  it.skipIf(!hasScript)('draws a progress bar on a terminal', () => {
    const input = join(c.dir.root, 'tty.csv');
    writeFileSync(input, csvOf(members(40, '6003')));
    const cmd = `exec ${JSON.stringify(process.execPath)} ${JSON.stringify(BIN)} --data-dir ${JSON.stringify(c.dataDir)} member import ${JSON.stringify(input)} --out ${JSON.stringify(join(c.dir.root, 'tty-out.csv'))} --batch-size 10`;
    const env = Object.fromEntries(Object.entries(process.env).filter(([k]) => !k.startsWith('KOSMO_')));
    const r = spawnSync('script', ['-qfec', cmd, '/dev/null'], { cwd: ROOT, env: { ...env, TZ: 'Asia/Tokyo' }, encoding: 'utf8', input: '' });
    expect(r.status, r.stdout).toBe(0);
    expect(r.stdout).toMatch(/\r発行中 \[[█▒░]{30}\] \d+\/40/);
    expect(r.stdout).toContain('\r発行中 [██████████████████████████████] 40/40 (100%)');
    expect(r.stdout).not.toContain('進捗: ');
    expect(r.stdout).toContain('取込結果: 40 行 — 新規発行 40 名');
  });
});
