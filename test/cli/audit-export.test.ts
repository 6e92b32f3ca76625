import { describe, it, expect, beforeAll, afterAll } from 'vitest';
import { existsSync, readFileSync, statSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { parse } from 'csv-parse/sync';
import { ensureBuilt, kosmoIn, run, tempDataDir } from '../support/cli.js';
import { openDatabase } from '../../src/core/db/orm.js';
import { AuditEvent, Society } from '../../src/core/db/entities/index.js';

const ROWS = 10_000;
const START = Date.parse('2026-04-01T00:00:00Z');

/**
 * `kosmo audit --format csv|jsonl [--out FILE]`: every matching event (no 100-row cap), streamed
 * page by page, with the same filters as the listing. 10 000 events are inserted straight through
 * the ORM (fast), then exported through the real binary.
 */
describe('kosmo audit --format', () => {
  const dir = tempDataDir();
  const kosmo = kosmoIn(dir.dataDir);
  let before = 0;
  beforeAll(async () => {
    ensureBuilt();
    expect((await kosmo(['init', '--society-code', 'sckenpo', '--society-name', '大和総研健保'])).code).toBe(0);
    before = (await kosmo(['audit', '--json'])).json.length;
    const db = await openDatabase(`sqlite:${join(dir.dataDir, 'kosmo.sqlite')}`);
    try {
      const society = await db.em().findOneOrFail(Society, { code: 'sckenpo' });
      for (let i = 0; i < ROWS; i += 1000) {
        await db.em().insertMany(
          AuditEvent,
          Array.from({ length: 1000 }, (_, k) => ({
            society: society.id,
            at: new Date(START + (i + k) * 60_000),
            actorType: 'member' as const,
            actor: `k${String(i + k).padStart(9, '0')}`,
            memberId: null,
            memberUserId: `k${String(i + k).padStart(9, '0')}`,
            action: (i + k) % 2 === 0 ? 'login.password' : 'login.totp',
            outcome: (i + k) % 5 === 0 ? ('failure' as const) : ('success' as const),
            ip: '192.0.2.7',
            details: (i + k) % 5 === 0 ? { reason: 'bad,"quoted"\nvalue' } : null,
          })),
        );
      }
    } finally {
      await db.close();
    }
  }, 180_000);
  afterAll(() => dir.cleanup());

  it('CSV: UTF-8 with BOM, a header, every event oldest first, file mode 0600, summary with --json', async () => {
    const out = join(dir.root, 'audit.csv');
    const r = await kosmo(['audit', '--format', 'csv', '--out', out, '--json']);
    expect(r.code, r.stderr).toBe(0);
    expect(r.json).toEqual({ format: 'csv', out, rows: ROWS + before });
    const bytes = readFileSync(out);
    expect([...bytes.subarray(0, 3)]).toEqual([0xef, 0xbb, 0xbf]);
    expect(statSync(out).mode & 0o777).toBe(0o600);
    const records = parse(bytes.toString('utf8').slice(1), { columns: true }) as Record<string, string>[];
    expect(records).toHaveLength(ROWS + before);
    expect(Object.keys(records[0]!)).toEqual(['id', 'at', 'actor_type', 'actor', 'member_user_id', 'action', 'outcome', 'ip', 'details']);
    const ids = records.map((x) => Number(x.id));
    expect(ids).toEqual([...ids].sort((a, b) => a - b));
    const bulk = records.filter((x) => x.ip === '192.0.2.7');
    expect(bulk).toHaveLength(ROWS);
    expect(bulk[0]).toMatchObject({ at: '2026-04-01T00:00:00.000Z', actor_type: 'member', action: 'login.password', outcome: 'failure' });
    expect(JSON.parse(bulk[0]!.details!)).toEqual({ reason: 'bad,"quoted"\nvalue' });
    expect(bulk[ROWS - 1]!.member_user_id).toBe('k000009999');
    const text = await kosmo(['audit', '--format', 'csv', '--out', join(dir.root, 'audit2.csv')]);
    expect(text.stdout.trim()).toBe(`監査ログ ${ROWS + before} 件を ${join(dir.root, 'audit2.csv')} に書き出しました(csv)。`);
  });

  it('JSONL to standard output, with the listing filters (action, time) and an explicit --limit', async () => {
    const r = await run(['--data-dir', dir.dataDir, 'audit', '--format', 'jsonl', '--action', 'login.totp']);
    expect(r.code, r.stderr).toBe(0);
    const lines = r.stdout
      .trimEnd()
      .split('\n')
      .map((l) => JSON.parse(l));
    expect(lines).toHaveLength(ROWS / 2);
    expect(lines.every((e) => e.action === 'login.totp')).toBe(true);
    expect(lines[0]).toMatchObject({ actorType: 'member', actor: 'k000000001', at: '2026-04-01T00:01:00.000Z', details: null });

    // --since / --until as in the listing (a date alone is Japan time).
    const day = await run(['--data-dir', dir.dataDir, 'audit', '--format', 'jsonl', '--since', '2026-04-02', '--until', '2026-04-03']);
    const dayLines = day.stdout
      .trimEnd()
      .split('\n')
      .map((l) => JSON.parse(l));
    expect(dayLines).toHaveLength(24 * 60);
    expect(dayLines[0].at).toBe('2026-04-01T15:00:00.000Z');

    const capped = await run(['--data-dir', dir.dataDir, 'audit', '--format', 'jsonl', '--limit', '10001']);
    expect(capped.stdout.trimEnd().split('\n')).toHaveLength(10_001);
  });

  it('without --format the listing keeps its 100-event default', async () => {
    const r = await kosmo(['audit', '--json']);
    expect(r.json).toHaveLength(100);
    const at = r.json.map((e: { at: string }) => e.at);
    expect(at).toEqual([...at].sort().reverse());
  });

  it('refuses a bad format, --out without --format, --json to stdout, and an existing file unless --force', async () => {
    const bad = await kosmo(['audit', '--format', 'xml', '--json']);
    expect(bad.code).toBe(2);
    expect(bad.json.error.code).toBe('INPUT_INVALID');
    expect((await kosmo(['audit', '--out', join(dir.root, 'x.csv')])).code).toBe(2);
    expect((await kosmo(['audit', '--format', 'csv', '--json'])).code).toBe(2);
    const existing = join(dir.root, 'existing.csv');
    writeFileSync(existing, 'keep me');
    const conflict = await kosmo(['audit', '--format', 'csv', '--out', existing, '--json']);
    expect(conflict.code).toBe(4);
    expect(conflict.json.error.code).toBe('FILE_EXISTS');
    expect(readFileSync(existing, 'utf8')).toBe('keep me');
    const forced = await kosmo(['audit', '--format', 'jsonl', '--out', existing, '--force', '--action', 'society.create', '--json']);
    expect(forced.code, forced.stderr).toBe(0);
    expect(readFileSync(existing, 'utf8').trim().split('\n')).toHaveLength(1);
    expect(existsSync(join(dir.root, 'nodir', 'a.csv'))).toBe(false);
    expect((await kosmo(['audit', '--format', 'csv', '--out', join(dir.root, 'nodir', 'a.csv')])).code).toBe(2);
  });
});
