import type { FilterQuery } from '@mikro-orm/core';
import { AuditEvent, type AuditEventRow } from '../db/entities/index.js';
import type { CoreContext } from '../context.js';
import { auditWhere, toAuditView, type AuditQuery, type AuditView } from './query-audit.js';

export const EXPORT_PAGE_SIZE = 1000;

/**
 * Every audit event matching `q`, oldest first (by id, the order they were recorded in), one page
 * at a time: keyset pagination on the id, each page read in its own unit of work, so an export of
 * millions of rows holds one page in memory, never the whole log. `limit` caps the total when given.
 */
export async function* auditPages(core: CoreContext, societyId: number, q: Omit<AuditQuery, 'limit'> & { limit?: number } = {}, pageSize = EXPORT_PAGE_SIZE): AsyncGenerator<AuditView[]> {
  let afterId = 0;
  let left = q.limit ?? Number.POSITIVE_INFINITY;
  while (left > 0) {
    const where = { ...(auditWhere(societyId, q) as Record<string, unknown>), id: { $gt: afterId } } as FilterQuery<AuditEventRow>;
    const rows = await core.db.em().find(AuditEvent, where, { orderBy: { id: 'asc' }, limit: Math.min(pageSize, left) });
    if (rows.length === 0) return;
    afterId = rows[rows.length - 1]!.id;
    left -= rows.length;
    yield rows.map(toAuditView);
    if (rows.length < pageSize) return;
  }
}

export const AUDIT_CSV_COLUMNS = ['id', 'at', 'actor_type', 'actor', 'member_user_id', 'action', 'outcome', 'ip', 'details'] as const;

/**
 * The export formats, a page at a time. CSV: UTF-8 with a byte-order mark and CRLF line ends (what
 * Excel opens without garbling), times in UTC ISO 8601 as stored, details as JSON. JSONL: one
 * `kosmo audit --json` object per line.
 */
export function auditExportChunks(format: 'csv' | 'jsonl', stringify: (rows: unknown[][]) => string) {
  return {
    head: format === 'csv' ? '\uFEFF' + stringify([[...AUDIT_CSV_COLUMNS]]) : '',
    page(events: AuditView[]): string {
      if (format === 'jsonl') return events.map((e) => JSON.stringify(e) + '\n').join('');
      return stringify(events.map((e) => [e.id, e.at, e.actorType, e.actor, e.memberUserId ?? '', e.action, e.outcome, e.ip ?? '', e.details ? JSON.stringify(e.details) : '']));
    },
  };
}
