import type { FilterQuery } from '@mikro-orm/core';
import { AuditEvent, type AuditEventRow } from '../db/entities/index.js';
import type { CoreContext } from '../context.js';

export interface AuditQuery {
  memberId?: number;
  actor?: string;
  action?: string;
  since?: Date;
  until?: Date;
  limit?: number;
}

export interface AuditView {
  id: number;
  at: string;
  actorType: string;
  actor: string;
  memberUserId: string | null;
  action: string;
  outcome: string;
  ip: string | null;
  details: Record<string, unknown> | null;
}

export function toAuditView(e: AuditEventRow): AuditView {
  return {
    id: e.id,
    at: e.at.toISOString(),
    actorType: e.actorType,
    actor: e.actor,
    memberUserId: e.memberUserId ?? null,
    action: e.action,
    outcome: e.outcome,
    ip: e.ip ?? null,
    details: e.details ?? null,
  };
}

/** The filter of an audit query, always scoped to one society (listing and export share it). */
export function auditWhere(societyId: number, q: AuditQuery = {}): FilterQuery<AuditEventRow> {
  const where: FilterQuery<AuditEventRow> = { society: societyId };
  if (q.memberId !== undefined) where.memberId = q.memberId;
  if (q.actor) where.actor = q.actor;
  if (q.action) where.action = q.action;
  if (q.since || q.until) where.at = { ...(q.since ? { $gte: q.since } : {}), ...(q.until ? { $lt: q.until } : {}) };
  return where;
}

/** Newest first, always scoped to one society. */
export async function queryAudit(core: CoreContext, societyId: number, q: AuditQuery = {}): Promise<AuditView[]> {
  const where = auditWhere(societyId, q);
  const rows = await core.db.em().find(AuditEvent, where, { orderBy: { at: 'desc', id: 'desc' }, limit: Math.min(q.limit ?? 100, 10_000) });
  return rows.map(toAuditView);
}
