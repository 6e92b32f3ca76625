import type { EntityManager } from '@mikro-orm/sql';
import { AuditEvent } from '../db/entities/index.js';

/**
 * Limits on recovery requests (OWASP Forgot Password CS: rate-limit per account and per client).
 * Counted from the audit log, so they hold across portal processes sharing one database.
 */
export const RECOVERY_WINDOW_MS = 15 * 60 * 1000;
export const MAILS_PER_ACCOUNT = 3;
export const REQUESTS_PER_CLIENT = 10;

export async function recentRequestsFromClient(em: EntityManager, societyId: number, action: string, ip: string | null, now: Date): Promise<number> {
  if (!ip) return 0;
  return em.count(AuditEvent, { society: societyId, action, ip, at: { $gt: new Date(now.getTime() - RECOVERY_WINDOW_MS) } });
}

export async function recentMailsForMember(em: EntityManager, societyId: number, action: string, memberId: number, now: Date): Promise<number> {
  return em.count(AuditEvent, { society: societyId, action, memberId, outcome: 'success', at: { $gt: new Date(now.getTime() - RECOVERY_WINDOW_MS) } });
}
