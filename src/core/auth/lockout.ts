import type { EntityManager } from '@mikro-orm/sql';
import { LockoutState, type LockoutStateRow, type MemberRow } from '../db/entities/index.js';
import type { SocietySettings } from '../society/settings.js';

export type LockoutStatus = { state: 'open' } | { state: 'backoff'; until: Date } | { state: 'locked'; since: Date };

/**
 * Per-account throttling (DESIGN.md §4; NIST SP 800-63B §5.2.2 allows at most 100 failures):
 * password, birth-date and second-factor failures all count. From `backoffFrom` failures on each
 * attempt waits a growing delay; at `lockAt` the account is locked until staff unlock it.
 */
export function lockoutStatus(row: LockoutStateRow | null, now: Date): LockoutStatus {
  if (!row) return { state: 'open' };
  if (row.lockedAt) return { state: 'locked', since: row.lockedAt };
  if (row.blockedUntil && row.blockedUntil.getTime() > now.getTime()) return { state: 'backoff', until: row.blockedUntil };
  return { state: 'open' };
}

export async function loadLockout(em: EntityManager, memberId: number): Promise<LockoutStateRow | null> {
  return em.findOne(LockoutState, { member: memberId });
}

/** Counts one failure; returns true when this failure locked the account. */
export async function registerFailure(em: EntityManager, member: MemberRow, policy: SocietySettings['lockout'], now: Date): Promise<boolean> {
  let row = await loadLockout(em, member.id);
  row ??= em.create(LockoutState, { member, failures: 0, lastFailureAt: null, blockedUntil: null, lockedAt: null });
  row.failures += 1;
  row.lastFailureAt = now;
  if (row.failures >= policy.lockAt && !row.lockedAt) {
    row.lockedAt = now;
    return true;
  }
  if (row.failures >= policy.backoffFrom) {
    const delay = Math.min(policy.baseDelaySeconds * 2 ** (row.failures - policy.backoffFrom), policy.maxDelaySeconds);
    row.blockedUntil = new Date(now.getTime() + delay * 1000);
  }
  return false;
}

/** A successful step clears the counter (but never a staff lock: only `unlock` does). */
export async function clearFailures(em: EntityManager, memberId: number): Promise<void> {
  const row = await loadLockout(em, memberId);
  if (row && !row.lockedAt) {
    row.failures = 0;
    row.blockedUntil = null;
  }
}
