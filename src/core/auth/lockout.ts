import type { EntityManager } from '@mikro-orm/sql';
import { LoginThrottle } from '../db/entities/index.js';
import type { CoreContext } from '../context.js';
import { memberSubject, readThrottle, type ThrottleRow } from './throttle-store.js';

export type LockoutStatus = { state: 'open' } | { state: 'backoff'; until: Date } | { state: 'locked'; since: Date };

/**
 * Per-account throttling (DESIGN.md §4; NIST SP 800-63B §5.2.2 allows at most 100 failures):
 * password, birth-date and second-factor failures all count. From `backoffFrom` failures on each
 * attempt waits a growing delay; at `lockAt` the account is locked until staff unlock it. The
 * counter changes only through the atomic statements of throttle-store.ts; this only reads it.
 */
export function lockoutStatus(row: ThrottleRow | null, now: Date): LockoutStatus {
  if (!row) return { state: 'open' };
  if (row.lockedAt) return { state: 'locked', since: row.lockedAt };
  if (row.blockedUntil && row.blockedUntil.getTime() > now.getTime()) return { state: 'backoff', until: row.blockedUntil };
  return { state: 'open' };
}

/** A member's counter (null when no attempt ever failed). */
export async function loadThrottle(core: CoreContext, societyId: number, memberId: number): Promise<ThrottleRow | null> {
  return readThrottle(core.db.store, societyId, memberSubject(memberId));
}

/** The same read inside an ORM unit of work (on SQLite the store may not run inside one). */
export async function loadThrottleIn(em: EntityManager, societyId: number, memberId: number): Promise<ThrottleRow | null> {
  const row = await em.findOne(LoginThrottle, { society: societyId, subject: memberSubject(memberId) });
  return row ? { failures: row.failures, blockedUntil: row.blockedUntil ?? null, lockedAt: row.lockedAt ?? null } : null;
}
