import { describe, it, expect, beforeEach, afterEach } from 'vitest';
import { existsSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import argon2 from 'argon2';
import { testDatabases } from '../../support/databases.js';
import { createTestCore, STAFF, type TestCore } from '../../support/core.js';
import { importMembers, type ImportOptions } from '../../../src/core/import/import-members.js';
import { MailMessage, Member, PasswordCredential } from '../../../src/core/db/entities/index.js';

const HEADER = 'name,kana,birth_date,card_symbol,card_number,card_branch,relationship,email';
const KANA = 'アイウエオカキクケコサシスセソ';

function file(n: number, from = 0, symbol = '55'): Buffer {
  const rows = Array.from({ length: n }, (_, k) => {
    const i = k + from;
    return `会員${i},カイイン${KANA[i % KANA.length]}${KANA[Math.floor(i / KANA.length) % KANA.length]},1980-01-${String((i % 28) + 1).padStart(2, '0')},${symbol},${100 + i},00,self,m${i}@example.jp`;
  });
  return Buffer.from([HEADER, ...rows].join('\n') + '\n');
}

class Interrupted extends Error {}

describe.each(testDatabases)('importMembers on $name', (database) => {
  let t: TestCore;
  let journalDir: string;
  beforeEach(async () => {
    t = await createTestCore(database);
    journalDir = mkdtempSync(join(tmpdir(), 'kosmo-journal-'));
  });
  afterEach(async () => {
    await t.close();
    rmSync(journalDir, { recursive: true, force: true });
  });

  const opts = (bytes: Buffer, extra: Partial<ImportOptions> = {}): ImportOptions => ({ societyId: t.society.id, bytes, fileName: 'members.csv', journalDir, batchSize: 3, workers: 2, ...extra });

  /** A run that dies after its first committed batch (the process-kill test is in test/cli). */
  async function interruptedRun(bytes: Buffer, extra: Partial<ImportOptions> = {}): Promise<number> {
    await expect(
      importMembers(
        t.core,
        STAFF,
        opts(bytes, {
          ...extra,
          onProgress: (p) => {
            if (p.written > 0) throw new Interrupted('stop');
          },
        }),
      ),
    ).rejects.toBeInstanceOf(Interrupted);
    return t.core.db.em().count(Member, {});
  }

  async function verifies(userId: string, password: string): Promise<boolean> {
    const em = t.core.db.em();
    const m = await em.findOneOrFail(Member, { userId });
    return argon2.verify((await em.findOneOrFail(PasswordCredential, { member: m.id })).hash, password);
  }

  it('hashes with the documented argon2id parameters and writes each member once', async () => {
    const r = await importMembers(t.core, STAFF, opts(file(7)));
    if (r.status !== 'done') throw new Error('aborted');
    expect(r.issued).toBe(7);
    const cred = await t.core.db.em().findOneOrFail(PasswordCredential, { member: { userId: r.credentials[0]!.userId } });
    expect(cred.hash).toMatch(/^\$argon2id\$v=19\$/);
    expect(cred.hash.split('$')[3]!.split(',').sort()).toEqual(['m=19456', 'p=1', 't=2']);
    expect(await verifies(r.credentials[6]!.userId, r.credentials[6]!.password)).toBe(true);
    // The expiry is the society's (90 days by default) from the injected clock.
    expect(r.credentials[0]!.expiresAt.toISOString()).toBe('2026-06-30T00:00:00.000Z');
    await r.complete(['credentials-csv']);
    expect(readdirSync(journalDir)).toEqual([]);
  });

  it('resumes an interrupted run: members already written keep their journaled password, the rest are issued', async () => {
    const bytes = file(10);
    const written = await interruptedRun(bytes);
    expect(written).toBeGreaterThanOrEqual(3);
    expect(written).toBeLessThan(10);
    const journal = readdirSync(journalDir);
    expect(journal).toHaveLength(1);
    expect(readFileSync(join(journalDir, journal[0]!), 'utf8')).not.toMatch(/"password"/);

    const r = await importMembers(t.core, STAFF, opts(bytes));
    if (r.status !== 'done') throw new Error('aborted');
    expect([r.resumed, r.issued, r.skipped.length]).toEqual([written, 10 - written, 0]);
    expect(r.credentials.map((c) => c.line)).toEqual([2, 3, 4, 5, 6, 7, 8, 9, 10, 11]);
    for (const c of r.credentials) expect(await verifies(c.userId, c.password), `${c.userId} resumed=${c.resumed}`).toBe(true);
    expect(await t.core.db.em().count(Member, {})).toBe(10);
    // The journal stays until the outputs are written.
    expect(readdirSync(journalDir)).toHaveLength(1);
    await r.complete(['letters']);
    expect(readdirSync(journalDir)).toHaveLength(0);
  });

  it('a corrected file recovers the credentials an interrupted run of the first file wrote', async () => {
    const first = file(9);
    const written = await interruptedRun(first);
    expect(written).toBeLessThan(9);
    // Staff fix the file (drop a row, add one) and run it: another job, same members.
    const corrected = Buffer.concat([file(8), Buffer.from(`追加,ツイカ,1990-01-01,55,999,00,self,\n`)]);
    const r = await importMembers(t.core, STAFF, opts(corrected));
    if (r.status !== 'done') throw new Error('aborted');
    // The dropped row (card 55|108|00) may or may not have been written by the interrupted run.
    const lost = await t.core.db.em().count(Member, { cardKey: '55|108|00' });
    expect(r.resumed).toBe(written - lost);
    expect(r.issued).toBe(9 - (written - lost));
    for (const c of r.credentials.filter((x) => x.resumed)) expect(await verifies(c.userId, c.password)).toBe(true);
    await r.complete(['credentials-csv']);
    expect(readdirSync(journalDir)).toHaveLength(lost ? 1 : 0);
  });

  it('does not re-deliver a password once the member has started first login, nor one with a wrong journal entry', async () => {
    const bytes = file(6);
    const written = await interruptedRun(bytes);
    const em = t.core.db.em();
    const [a, b] = await em.find(Member, {}, { orderBy: { id: 'asc' }, limit: 2 });
    a!.onboardingStep = 'terms'; // passed the birth-date check: the provisional password is in use
    await em.flush();
    const path = join(journalDir, readdirSync(journalDir)[0]!);
    writeFileSync(path, readFileSync(path, 'utf8').replaceAll(`"userId":"${b!.userId}"`, '"userId":"kforgedid2"'));
    const r = await importMembers(t.core, STAFF, opts(bytes));
    if (r.status !== 'done') throw new Error('aborted');
    expect(r.skipped.map((s) => s.userId).sort()).toEqual([a!.userId, b!.userId].sort());
    expect(r.resumed).toBe(written - 2);
    expect(r.credentials.map((c) => c.userId)).not.toContain(a!.userId);
  });

  it('--strict: a bad row aborts before anything is written', async () => {
    const bytes = Buffer.concat([file(3), Buffer.from('bad,ダメ,1980-02-31,55,777,00,self,\n')]);
    const r = await importMembers(t.core, STAFF, opts(bytes, { strict: true }));
    expect(r.status).toBe('aborted');
    expect(r.bad.map((b) => b.line)).toEqual([5]);
    expect(await t.core.db.em().count(Member, {})).toBe(0);
    expect(existsSync(journalDir) ? readdirSync(journalDir) : []).toEqual([]);
  });

  it('mail: one credentials mail per member with an address, resumed members included, never twice', async () => {
    const bytes = file(7);
    const written = await interruptedRun(bytes); // the interrupted run had no --mail
    const mail = { portalUrl: 'https://portal.example.jp/' };
    const r = await importMembers(t.core, STAFF, opts(bytes, { mail }));
    if (r.status !== 'done') throw new Error('aborted');
    expect(r.mailed).toBe(7);
    const em = t.core.db.em();
    expect(await em.count(MailMessage, { kind: 'provisional-credentials' })).toBe(7);
    const resumedOne = r.credentials.find((c) => c.resumed)!;
    const m = await em.findOneOrFail(Member, { userId: resumedOne.userId });
    const body = (await em.findOneOrFail(MailMessage, { memberId: m.id })).bodyText;
    expect(body).toContain(resumedOne.password);
    expect(written).toBeGreaterThan(0);
    // Not complete()d: run again, still no second mail for anyone.
    const again = await importMembers(t.core, STAFF, opts(bytes, { mail }));
    if (again.status !== 'done') throw new Error('aborted');
    expect(again.mailed).toBe(0);
    expect(await em.count(MailMessage, { kind: 'provisional-credentials' })).toBe(7);
  });
});
