import type { CoreContext } from '../context.js';
import type { Actor } from '../actor.js';
import { KosmoError, type ErrorCode } from '../errors.js';
import { Member } from '../db/entities/index.js';
import { auditedTransaction, type AuditingTx } from '../audit/insert-audit.js';
import { notifyMember } from '../mail/notify-member.js';
import { confirmFailure, readThrottle, releaseAttempt, reserveAttempt, type LockoutPolicy, type Reservation } from './throttle-store.js';
import type { Store, StoreQueries } from '../db/store/store.js';
import { lockoutPolicyOf } from './lockout-policy.js';
import { waitText } from './wait-text.js';
import { clientPolicy, type AttemptClient } from './attempt-client.js';

export interface AttemptSpec {
  societyId: number;
  /** Whose counter: `memberSubject(id)` or, for a user ID naming no member, `unknownSubject(id)`. */
  subject: string;
  /** Audit action, e.g. `login.password`, `login.otp`, `reauth.passkey`. */
  action: string;
  /** Who is audited for a failure. */
  actor: Actor;
  member: { id: number; userId: string } | null;
  /** The code a wrong answer gets when it does not lock (`INVALID_CREDENTIALS`, `OTP_INVALID`, …). */
  failureCode: ErrorCode;
  /**
   * Smart lockout (issue 13): the client's own counter beside the account's (attempt-client.ts).
   * Reserved after the account's place, settled with it; a known device passes the account's
   * back-off. Absent: the account's counter alone, as before.
   */
  client?: AttemptClient | null;
}

export type CheckOutcome = { ok: true; details?: Record<string, unknown> } | { ok: false; reason: string };

/**
 * One guarded attempt at a secret (password, birth date, second factor): the atomic reservation
 * first (throttle-store.ts), then the check outside any transaction (argon2 takes milliseconds),
 * then one transaction that gives the place back or confirms the failure, together with whatever
 * the success changes (`commit`, which may still refuse: e.g. a TOTP step used meanwhile by
 * another request) and the audit event.
 *
 * Refused unchecked: during the back-off `LOGIN_THROTTLED` (with the wait), when locked
 * `ACCOUNT_LOCKED` (DESIGN.md §4: the words of a wrong password). A failure that locks the account
 * also ends in `ACCOUNT_LOCKED`.
 */
export async function guardedAttempt<T>(core: CoreContext, spec: AttemptSpec, check: () => Promise<CheckOutcome>, commit: (tx: AuditingTx) => Promise<CheckOutcome & { value?: T }>): Promise<T> {
  const store = core.db.store;
  const policy = await lockoutPolicyOf(store, spec.societyId);
  const now = core.clock.now();
  const client = spec.client ?? null;
  const perClient = clientPolicy(policy);
  const places = await reservePlaces(store, spec, policy, perClient, now);
  if ('refusedBy' in places) return refuseUnchecked(core, spec, places.refusedBy, now);
  const { account: reservation, client: clientReservation } = places;
  const checked = await check();
  const settled = await auditedTransaction(core, async (tx) => {
    const outcome = checked.ok ? await commit(tx) : checked;
    if (outcome.ok) {
      await releaseAttempt(tx, spec.societyId, spec.subject, policy, reservation);
      if (client && clientReservation) await releaseAttempt(tx, spec.societyId, client.subject, perClient, clientReservation);
      return { ...outcome, locked: false };
    }
    const locked = await confirmFailure(tx, spec.societyId, spec.subject, policy, now);
    const clientBlocked = client ? await confirmFailure(tx, spec.societyId, client.subject, perClient, now) : false;
    await tx.audit({ societyId: spec.societyId, actor: spec.actor, action: spec.action, outcome: 'failure', member: spec.member, details: { reason: outcome.reason } });
    if (locked && spec.member) await tx.audit({ societyId: spec.societyId, actor: { type: 'system', name: 'lockout' }, action: 'member.locked', member: spec.member });
    if (clientBlocked && spec.member && !locked)
      await tx.audit({ societyId: spec.societyId, actor: spec.actor, action: 'member.client_blocked', member: spec.member, details: { limit: perClient.lockAt } });
    return { ...outcome, locked, clientBlocked };
  });
  if (!settled.ok) {
    if (settled.locked && spec.member) await mailLockNotice(core, spec.societyId, spec.member.id);
    // `reason` is for the audit log and the server's own log; members see only the code's message.
    throw settled.locked ? new KosmoError('ACCOUNT_LOCKED', { reason: settled.reason }) : new KosmoError(spec.failureCode, { reason: settled.reason });
  }
  return settled.value as T;
}

/** A client over its own budget: rolls back the reservation of the account's place. */
class ClientOverBudget extends Error {}

/**
 * The account's place and, with smart lockout, the client's, in one transaction: one commit per
 * attempt, and a client over its own budget leaves the account's counter as it was (the
 * transaction is rolled back) — the attempt is not checked, so it must not count. Each place is
 * still taken by its one conditional upsert; the account's row is always taken first, so two
 * attempts never wait on each other's rows in opposite orders.
 */
async function reservePlaces(
  store: Store,
  spec: AttemptSpec,
  policy: LockoutPolicy,
  perClient: LockoutPolicy,
  now: Date,
): Promise<{ account: Reservation; client: Reservation | null } | { refusedBy: string }> {
  const client = spec.client ?? null;
  const reserveAccount = (q: StoreQueries) => reserveAttempt(q, spec.societyId, spec.subject, policy, now, { ignoreBackoff: client?.known === true });
  if (!client) {
    const account = await reserveAccount(store);
    return account ? { account, client: null } : { refusedBy: spec.subject };
  }
  try {
    return await store.transaction(async (tx) => {
      const account = await reserveAccount(tx);
      if (!account) return { refusedBy: spec.subject };
      const own = await reserveAttempt(tx, spec.societyId, client.subject, perClient, now);
      if (!own) throw new ClientOverBudget();
      return { account, client: own };
    });
  } catch (err) {
    if (err instanceof ClientOverBudget) return { refusedBy: client.subject };
    throw err;
  }
}

/** Refused without a check, by the counter of `subject` (the account's, or the client's own). */
async function refuseUnchecked(core: CoreContext, spec: AttemptSpec, subject: string, now: Date): Promise<never> {
  const row = await readThrottle(core.db.store, spec.societyId, subject);
  const locked = !!row?.lockedAt;
  const waitMs = row?.blockedUntil ? row.blockedUntil.getTime() - now.getTime() : 0;
  await auditedTransaction(core, (tx) =>
    tx.audit({
      societyId: spec.societyId,
      actor: spec.actor,
      action: spec.action,
      outcome: 'failure',
      member: spec.member,
      details: { reason: locked ? 'locked' : 'throttled', ...(subject !== spec.subject ? { counter: 'client' } : {}) },
    }),
  );
  if (locked || waitMs <= 0) throw new KosmoError('ACCOUNT_LOCKED');
  throw new KosmoError('LOGIN_THROTTLED', { wait: waitText(waitMs), retryAfterSeconds: Math.ceil(waitMs / 1000), throttled: true });
}

/** FAQ Q6: the member learns of the lock by mail (queued after the lock's own transaction). */
async function mailLockNotice(core: CoreContext, societyId: number, memberId: number): Promise<void> {
  await core.db.em().transactional(async (em) => {
    const member = await em.findOne(Member, { id: memberId, society: societyId });
    if (member) await notifyMember(em, core, member, 'account-locked', {});
  });
}

export type { LockoutPolicy };
