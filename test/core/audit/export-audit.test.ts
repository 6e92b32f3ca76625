import { describe, it, expect, beforeEach, afterEach } from 'vitest';
import { testDatabases } from '../../support/databases.js';
import { createTestCore, type TestCore } from '../../support/core.js';
import { AuditEvent } from '../../../src/core/db/entities/index.js';
import { auditExportChunks, auditPages } from '../../../src/core/audit/export-audit.js';
import { createSociety } from '../../../src/core/society/create-society.js';
import { STAFF } from '../../support/core.js';

/** Inserts `n` audit events fast (one statement per 500 rows), at one-second steps from `start`. */
async function insertEvents(t: TestCore, n: number, societyId: number, action = 'bulk.test', start = Date.parse('2026-04-01T00:00:00Z')) {
  for (let i = 0; i < n; i += 500) {
    const rows = Array.from({ length: Math.min(500, n - i) }, (_, k) => ({
      society: societyId,
      at: new Date(start + (i + k) * 1000),
      actorType: 'staff' as const,
      actor: '佐藤',
      memberId: null,
      memberUserId: null,
      action,
      outcome: (i + k) % 3 === 0 ? ('failure' as const) : ('success' as const),
      ip: '192.0.2.1',
      details: { n: i + k },
    }));
    await t.core.db.em().insertMany(AuditEvent, rows);
  }
}

describe.each(testDatabases)('audit export pages on $name', (database) => {
  let t: TestCore;
  beforeEach(async () => {
    t = await createTestCore(database);
  });
  afterEach(async () => t.close());

  it('pages through every matching event by id, oldest first, never more than a page at a time', async () => {
    await insertEvents(t, 2_345, t.society.id);
    const other = await createSociety(t.core, STAFF, { code: 'other', name: '別健保' });
    await insertEvents(t, 100, other.id);
    const sizes: number[] = [];
    const ids: number[] = [];
    for await (const page of auditPages(t.core, t.society.id, { action: 'bulk.test' }, 1000)) {
      sizes.push(page.length);
      ids.push(...page.map((e) => e.id));
    }
    expect(sizes).toEqual([1000, 1000, 345]);
    expect(ids).toEqual([...ids].sort((a, b) => a - b));
    expect(new Set(ids).size).toBe(2_345);

    const since = new Date(Date.parse('2026-04-01T00:00:00Z') + 2000 * 1000);
    let inRange = 0;
    for await (const page of auditPages(t.core, t.society.id, { action: 'bulk.test', since }, 100)) inRange += page.length;
    expect(inRange).toBe(345);

    const capped: number[] = [];
    for await (const page of auditPages(t.core, t.society.id, { limit: 1500 }, 1000)) capped.push(page.length);
    expect(capped).toEqual([1000, 500]);
  });

  it('formats CSV with a BOM and a header, JSONL one object a line', () => {
    const csv = auditExportChunks('csv', (rows) => rows.map((r) => r.join(',') + '\r\n').join(''));
    expect(csv.head).toBe('\uFEFFid,at,actor_type,actor,member_user_id,action,outcome,ip,details\r\n');
    const jsonl = auditExportChunks('jsonl', () => '');
    const e = { id: 1, at: '2026-04-01T00:00:00.000Z', actorType: 'staff', actor: 'a', memberUserId: null, action: 'x', outcome: 'success', ip: null, details: null };
    expect(jsonl.head).toBe('');
    expect(jsonl.page([e, { ...e, id: 2 }])).toBe(JSON.stringify(e) + '\n' + JSON.stringify({ ...e, id: 2 }) + '\n');
  });
});
