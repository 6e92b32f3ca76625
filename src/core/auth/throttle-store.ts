import { sha256Hex } from '../random.js';
import type { SocietySettings } from '../society/settings.js';
import { asDate, asInt, type StoreQueries } from '../db/store/store.js';

export type LockoutPolicy = SocietySettings['lockout'];

/** What the counter of one login subject says now. */
export interface ThrottleRow {
  failures: number;
  blockedUntil: Date | null;
  lockedAt: Date | null;
}

/** The subject of a member's counter: password, birth-date and second-factor failures all count. */
export function memberSubject(memberId: number): string {
  return `m:${memberId}`;
}

/**
 * The subject of a user ID that names no member: throttled like a member's, so that an unknown ID
 * is answered, delayed and locked exactly like a known one (ASVS 6.3.8). Only a hash is stored.
 */
export function unknownSubject(userId: string): string {
  return `u:${sha256Hex(userId)}`;
}

/**
 * Seconds an attempt waits after `n` failures: from `backoffFrom` on, `baseDelaySeconds` doubled
 * per further failure, capped at `maxDelaySeconds` (DESIGN.md §4). As SQL over `n`, so that the
 * reservation computes it inside its one atomic statement.
 */
function delaySql(n: string): string {
  const steps = `(${n} - :backoffFrom)`;
  return `CASE WHEN ${steps} >= 30 THEN :maxDelay WHEN :baseDelay * (1 << ${steps}) >= :maxDelay THEN :maxDelay ELSE :baseDelay * (1 << ${steps}) END`;
}

function blockedUntilSql(store: StoreQueries, n: string): string {
  return `CASE WHEN ${n} >= :backoffFrom THEN ${store.sql.plusSeconds(store.sql.ts(':now'), delaySql(n))} ELSE NULL END`;
}

function policyParams(policy: LockoutPolicy) {
  return { backoffFrom: policy.backoffFrom, baseDelay: policy.baseDelaySeconds, maxDelay: policy.maxDelaySeconds, lockAt: policy.lockAt };
}

/**
 * Reserves one attempt before it is checked: one atomic conditional statement (an upsert whose
 * update runs only while the subject is neither locked nor in its back-off and has fewer than
 * `lockAt` failures or reservations). However many attempts arrive at once, on however many
 * processes, at most the documented number get a place; the rest are refused unchecked. A place
 * counts as a failure until `releaseAttempt` gives it back (the check succeeded).
 * Returns null when the attempt may not be checked, else the reservation (with the back-off it set).
 *
 * `ignoreBackoff` (smart lockout, issue 13: a known device at its member's account) reserves
 * through the back-off other clients caused — still only while unlocked and below `lockAt` — and
 * leaves that back-off as it was: the known device's own pace is its client counter's business.
 */
export async function reserveAttempt(store: StoreQueries, societyId: number, subject: string, policy: LockoutPolicy, now: Date, opts: { ignoreBackoff?: boolean } = {}): Promise<Reservation | null> {
  const rows = await store.all(
    `INSERT INTO login_throttle (society_id, subject, failures, last_failure_at, blocked_until, locked_at)
     VALUES (:society, :subject, 1, ${store.sql.ts(':now')}, ${blockedUntilSql(store, '1')}, NULL)
     ON CONFLICT (society_id, subject) DO UPDATE SET
       failures = login_throttle.failures + 1,
       last_failure_at = ${store.sql.ts(':now')},
       blocked_until = CASE WHEN :known = 1 THEN login_throttle.blocked_until ELSE ${blockedUntilSql(store, 'login_throttle.failures + 1')} END
     WHERE login_throttle.locked_at IS NULL
       AND login_throttle.failures < :lockAt
       AND (:known = 1 OR login_throttle.blocked_until IS NULL OR login_throttle.blocked_until <= ${store.sql.ts(':now')})
     RETURNING failures, blocked_until`,
    { society: societyId, subject, now, known: opts.ignoreBackoff ? 1 : 0, ...policyParams(policy) },
  );
  const row = rows[0];
  if (!row) return null;
  // A reservation through the back-off started none of its own: releasing it lifts nothing.
  return { blockedUntil: opts.ignoreBackoff ? null : asDate(row.blocked_until) };
}

/** A place taken by `reserveAttempt`. */
export interface Reservation {
  /** The back-off this reservation started (counting itself as a failure), if any. */
  blockedUntil: Date | null;
}

/**
 * The reserved attempt was right: its place is given back, and the back-off it started counting
 * itself as a failure is lifted (no other attempt can have reserved since: that back-off refused
 * them all), as is any back-off once the remaining failures are below `backoffFrom`. The full reset comes only when
 * the whole login succeeds (`resetThrottle`): else knowing the password would buy fresh guesses at
 * the birth date and the second factor.
 */
export async function releaseAttempt(tx: StoreQueries, societyId: number, subject: string, policy: LockoutPolicy, reservation: Reservation): Promise<void> {
  await tx.run(
    `UPDATE login_throttle
     SET failures = CASE WHEN failures > 0 THEN failures - 1 ELSE 0 END,
         blocked_until = CASE WHEN failures - 1 < :backoffFrom OR blocked_until = ${tx.sql.ts(':ours')} THEN NULL ELSE blocked_until END
     WHERE society_id = :society AND subject = :subject AND locked_at IS NULL`,
    { society: societyId, subject, backoffFrom: policy.backoffFrom, ours: reservation.blockedUntil },
  );
}

/**
 * The reserved attempt failed: it stays counted. Locks the subject when the count has reached
 * `lockAt` — one conditional statement, so exactly one failure reports the lock.
 * Returns true when this failure locked the subject.
 */
export async function confirmFailure(tx: StoreQueries, societyId: number, subject: string, policy: LockoutPolicy, now: Date): Promise<boolean> {
  const rows = await tx.all(
    `UPDATE login_throttle SET locked_at = ${tx.sql.ts(':now')}
     WHERE society_id = :society AND subject = :subject AND locked_at IS NULL AND failures >= :lockAt
     RETURNING id`,
    { society: societyId, subject, now, lockAt: policy.lockAt },
  );
  return rows.length === 1;
}

/** The whole login succeeded, or staff unlocked: the counter starts again from zero. */
export async function resetThrottle(tx: StoreQueries, societyId: number, subject: string): Promise<void> {
  await tx.run(`UPDATE login_throttle SET failures = 0, blocked_until = NULL, locked_at = NULL WHERE society_id = :society AND subject = :subject`, { society: societyId, subject });
}

/** Success clears the counter but never a lock (only staff `unlock` does). */
export async function clearUnlessLocked(tx: StoreQueries, societyId: number, subject: string): Promise<void> {
  await tx.run(`UPDATE login_throttle SET failures = 0, blocked_until = NULL WHERE society_id = :society AND subject = :subject AND locked_at IS NULL`, { society: societyId, subject });
}

export async function readThrottle(store: StoreQueries, societyId: number, subject: string): Promise<ThrottleRow | null> {
  const rows = await store.all(`SELECT failures, blocked_until, locked_at FROM login_throttle WHERE society_id = :society AND subject = :subject`, { society: societyId, subject });
  const row = rows[0];
  if (!row) return null;
  return { failures: asInt(row.failures), blockedUntil: asDate(row.blocked_until), lockedAt: asDate(row.locked_at) };
}

/** How long the counter of a user ID naming no member is kept after its last failure. */
export const UNKNOWN_SUBJECT_TTL_MS = 24 * 60 * 60 * 1000;

/**
 * Counters of unknown user IDs last touched a day ago go (housekeeping: an attacker trying random
 * IDs must not grow the table without end). A member's counter is never purged: only a success or
 * staff unlock resets it.
 */
export async function purgeUnknownSubjects(store: StoreQueries, now: Date): Promise<number> {
  // `c:u:` are the client counters of unknown user IDs (smart lockout): forgotten alike.
  return store.run(`DELETE FROM login_throttle WHERE (subject LIKE 'u:%' OR subject LIKE 'c:u:%') AND last_failure_at < ${store.sql.ts(':before')}`, {
    before: new Date(now.getTime() - UNKNOWN_SUBJECT_TTL_MS),
  });
}
