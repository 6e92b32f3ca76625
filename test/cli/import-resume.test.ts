import { describe, it, expect, beforeAll, afterAll } from 'vitest';
import { existsSync, readdirSync, readFileSync, statSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import argon2 from 'argon2';
import { testDatabases } from '../support/databases.js';
import { ensureBuilt } from '../support/cli.js';
import { AuditEvent, Member, PasswordCredential } from '../../src/core/db/entities/index.js';
import { cliDatabase, csvOf, expectOk, members, parseCredentials, spawnKosmo, type CliDatabase } from './import-fixtures.js';

describe.each(testDatabases)('kosmo member import, killed half-way, on $name', (database) => {
  let c: CliDatabase;
  beforeAll(async () => {
    ensureBuilt();
    c = await cliDatabase(database);
    expectOk(await c.kosmo(['init']));
    expectOk(await c.kosmo(['society', 'set', 'publicUrl', 'https://portal.example.jp/']));
  }, 180_000);
  afterAll(async () => c.cleanup());

  it('the same command resumes after SIGKILL: no duplicates, and the killed run’s credentials reach the outputs', async () => {
    const rows = members(300, '9001');
    const input = join(c.dir.root, 'big.csv');
    writeFileSync(input, csvOf(rows));
    const out = join(c.dir.root, 'credentials.csv');
    const letters = join(c.dir.root, 'notices.html');
    const args = ['member', 'import', input, '--out', out, '--letters', letters, '--batch-size', '25'];

    // Run 1: the real binary, killed with SIGKILL as soon as it reports its first written batch.
    const child = spawnKosmo(c.dataDir, args, c.env);
    let stdout = '';
    let stderr = '';
    child.stderr.setEncoding('utf8').on('data', (d: string) => (stderr += d));
    const exit = new Promise<{ code: number | null; signal: NodeJS.Signals | null }>((resolve) => child.on('exit', (code, signal) => resolve({ code, signal })));
    child.stdout.setEncoding('utf8').on('data', (d: string) => {
      stdout += d;
      if (/^進捗: \d+\/300/m.test(stdout) && child.exitCode === null) child.kill('SIGKILL');
    });
    const ended = await exit;
    expect(ended.signal, `${stdout}\n${stderr}`).toBe('SIGKILL');
    expect(stdout).not.toContain('取込結果'); // it never finished

    const em = () => c.core().then((core) => core.db.em());
    const issuedByKilledRun = await (await em()).count(Member, { cardSymbol: '9001' });
    expect(issuedByKilledRun).toBeGreaterThanOrEqual(25);
    expect(issuedByKilledRun).toBeLessThan(300);
    expect(existsSync(out)).toBe(false);
    // The write-ahead journal holds the sealed passwords of those members, owner-only, no plain text.
    const journals = readdirSync(join(c.dataDir, 'imports')).filter((f) => f.endsWith('.journal'));
    expect(journals).toHaveLength(1);
    const journalPath = join(c.dataDir, 'imports', journals[0]!);
    expect(statSync(journalPath).mode & 0o777).toBe(0o600);
    const killedMembers = await (await em()).find(Member, { cardSymbol: '9001' });
    const journal = readFileSync(journalPath, 'utf8');
    for (const m of killedMembers) expect(journal).toContain(`"userId":"${m.userId}"`);
    expect(journal).not.toMatch(/"password"/);

    // Run 2: the same command.
    const r = expectOk(await c.kosmo([...args, '--json']));
    expect(r.json.resumed).toBe(issuedByKilledRun);
    expect(r.json.issued).toBe(300 - issuedByKilledRun);
    expect(r.json.skipped).toEqual([]);

    const all = await (await em()).find(Member, { cardSymbol: '9001' });
    expect(all).toHaveLength(300);
    expect(new Set(all.map((m) => m.cardKey)).size).toBe(300);
    expect(new Set(all.map((m) => m.userId)).size).toBe(300);

    // Every member, those of the killed run included, is in the print file and in the letters once.
    const creds = parseCredentials(readFileSync(out, 'utf8'));
    expect(creds).toHaveLength(300);
    expect(creds.map((x) => Number(x.line))).toEqual(rows.map((_, i) => i + 2));
    expect(new Set(creds.map((x) => x.user_id))).toEqual(new Set(all.map((m) => m.userId)));
    const html = readFileSync(letters, 'utf8');
    expect(html.split('<section class="page"').length - 1).toBe(300);

    // The recovered passwords are the ones the database holds (killed run) as are the new ones.
    const killedIds = new Set(killedMembers.map((m) => m.userId));
    const sample = [...creds.filter((x) => killedIds.has(x.user_id!)).slice(0, 3), ...creds.filter((x) => !killedIds.has(x.user_id!)).slice(0, 3)];
    expect(sample).toHaveLength(6);
    for (const cr of sample) {
      const m = all.find((x) => x.userId === cr.user_id)!;
      const hash = (await (await em()).findOneOrFail(PasswordCredential, { member: m.id })).hash;
      expect(await argon2.verify(hash, cr.password!), cr.user_id).toBe(true);
      expect(html).toContain(`<td class="password">${cr.password}</td>`);
    }

    // Delivered: the journal is gone; one member.issue per member, one member.import for the finished run.
    expect(existsSync(journalPath)).toBe(false);
    expect(await (await em()).count(AuditEvent, { action: 'member.issue', memberId: { $in: all.map((m) => m.id) } })).toBe(300);
    const imports = await (await em()).find(AuditEvent, { action: 'member.import' });
    expect(imports).toHaveLength(1);
    expect(imports[0]!.details).toMatchObject({ resumed: issuedByKilledRun, issued: 300 - issuedByKilledRun, outputs: ['credentials-csv', 'letters'] });

    // And a third run finds nothing to do.
    const third = expectOk(await c.kosmo(['member', 'import', input, '--out', join(c.dir.root, 'again.csv'), '--json']));
    expect(third.json).toMatchObject({ issued: 0, resumed: 0 });
    expect(third.json.skipped).toHaveLength(300);
  }, 180_000);
});
