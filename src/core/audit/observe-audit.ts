import { ChangeSetType, type FlushEventArgs, type MikroORM } from '@mikro-orm/core';
import { deliverAfterCommit } from '../db/after-commit.js';
import { AuditEvent, type AuditEventRow } from '../db/entities/index.js';
import type { CoreContext } from '../context.js';

/**
 * What an audit observer learns about an event: what happened, never who. No member ID, user ID,
 * actor name, IP or details reach observers (they feed metrics, whose labels must never carry an
 * identifier); the audit log itself has the full row.
 */
export interface AuditNotice {
  societyId: number;
  action: string;
  outcome: 'success' | 'failure';
  actorType: AuditEventRow['actorType'];
}

export type AuditListener = (notice: AuditNotice) => void;

/** One subscriber per ORM; it fans out to the listeners registered through observeAudit. */
const hubs = new WeakMap<MikroORM, Set<AuditListener>>();

/**
 * Calls `listener` for every audit event written through this core's database, **after the
 * transaction that wrote it has committed** (a rolled-back event is never reported). Events
 * written outside a transaction are reported after their flush. Returns the function that stops
 * observing.
 *
 * How: recordAudit only adds a row to the caller's unit of work, so the rows are picked up where
 * MikroORM flushes them (afterFlush) and held per transaction until afterTransactionCommit;
 * a savepoint that commits hands its rows to the enclosing transaction, a rollback drops them.
 * Listeners run synchronously inside the committing call, so a caller sees the effect as soon as
 * the core function returns; a listener that throws is ignored (it must never fail a login).
 * Only rows written by this process are seen (staff commands in another process are not).
 */
export function observeAudit(core: CoreContext, listener: AuditListener): () => void {
  const orm = core.db.orm;
  let listeners = hubs.get(orm);
  if (!listeners) {
    listeners = new Set();
    hubs.set(orm, listeners);
    const hub = listeners;
    deliverAfterCommit(
      orm,
      (args) => (hub.size === 0 ? [] : flushedNotices(args)),
      (notices) => emitTo(hub, notices),
    );
  }
  listeners.add(listener);
  return () => void listeners.delete(listener);
}

/**
 * For a writer that inserts audit rows without MikroORM's unit of work (e.g. a prepared statement
 * of the db store): call this **after** its transaction has committed, with the rows it wrote, so
 * observers see them like every other audit event.
 */
export function publishAudit(core: CoreContext, notices: AuditNotice[]): void {
  const listeners = hubs.get(core.db.orm);
  if (listeners) emitTo(listeners, notices);
}

function emitTo(listeners: Set<AuditListener>, notices: AuditNotice[]): void {
  for (const notice of notices) {
    for (const l of listeners) {
      try {
        l(notice);
      } catch {
        // An observer's failure is its own: the audited change has committed regardless.
      }
    }
  }
}

/** The audit rows one flush inserted, as notices. */
function flushedNotices({ uow }: FlushEventArgs): AuditNotice[] {
  const notices: AuditNotice[] = [];
  for (const cs of uow.getChangeSets()) {
    if (cs.type !== ChangeSetType.CREATE || !(cs.entity instanceof AuditEvent.class)) continue;
    const row = cs.entity as AuditEventRow;
    const society = row.society as unknown as { id: number } | number;
    notices.push({ societyId: typeof society === 'number' ? society : society.id, action: row.action, outcome: row.outcome, actorType: row.actorType });
  }
  return notices;
}
