import type { EntityManager } from '@mikro-orm/sql';
import { AuditEvent } from '../db/entities/index.js';
import { type Actor, actorIp, actorLabel } from '../actor.js';
import type { Clock } from '../clock.js';

export interface AuditInput {
  societyId: number;
  actor: Actor;
  action: string;
  outcome?: 'success' | 'failure';
  member?: { id: number; userId: string } | null;
  /** Safe facts only: never a password, code, token or secret (ASVS 16.2.5). */
  details?: Record<string, unknown>;
}

/**
 * Adds an audit event to the caller's unit of work, so it commits (or rolls back) together with
 * the change it describes. Time is UTC from the injected clock. Observers (observe-audit.ts: the
 * portal's metrics) hear of the event once that transaction has committed.
 */
export function recordAudit(em: EntityManager, clock: Clock, input: AuditInput): void {
  const { societyId, ...row } = auditRow(input, clock.now());
  em.create(AuditEvent, { society: societyId, ...row });
}

/** The stored form of an event (one shape for the ORM and for the store's statement). */
export function auditRow(input: AuditInput, at: Date) {
  return {
    societyId: input.societyId,
    at,
    actorType: input.actor.type === 'anonymous' ? ('member' as const) : input.actor.type,
    actor: actorLabel(input.actor),
    memberId: input.member?.id ?? null,
    memberUserId: input.member?.userId ?? null,
    action: input.action,
    outcome: input.outcome ?? ('success' as const),
    ip: actorIp(input.actor),
    details: input.details ?? null,
  };
}
