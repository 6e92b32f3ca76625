import type { CoreContext } from '../context.js';
import type { AuditingTx } from '../audit/insert-audit.js';
import { KosmoError } from '../errors.js';
import { asDate, asInt } from '../db/store/store.js';
import { normalizeUserId } from '../accounts/user-id.js';
import { hasControlChars } from '../util/normalize.js';
import { guardedAttempt } from './guarded-attempt.js';
import { memberSubject, unknownSubject } from './throttle-store.js';
import { loadThrottle, lockoutStatus } from './lockout.js';
import { attemptClientFor } from './attempt-client.js';

export interface PasswordLogin {
  userId: unknown;
  password: unknown;
  ip: string | null;
  /** The browser's device cookie, if any (smart lockout: attempt-client.ts). */
  device?: string | null;
}

/** The member a password named, as the login carries it on. */
export interface MemberRef {
  id: number;
  userId: string;
}

interface LoginCandidate {
  id: number;
  user_id: string;
  status: string;
  provisional_expires_at: unknown;
  hash: string | null;
  provisional: unknown;
}

/**
 * Step one of every login (SCREENS.md §2.2). A known and an unknown user ID take the same path —
 * one lookup, the reservation on their own counter (an unknown ID has one too), the same argon2
 * work, the same failure statements — so neither the answer nor its timing tells them apart
 * (ASVS 6.3.8). Unknown ID, wrong password and disabled account all end in INVALID_CREDENTIALS;
 * during the back-off the password is not checked (LOGIN_THROTTLED, for known and unknown alike).
 * `within` runs on success inside the transaction that audits it (the login's session rotation).
 */
export async function authenticatePassword<T = undefined>(
  core: CoreContext,
  societyId: number,
  login: PasswordLogin,
  within?: (tx: AuditingTx, member: MemberRef) => Promise<T>,
): Promise<{ member: MemberRef; value: T }> {
  const userId = normalizeUserId(login.userId).slice(0, 128);
  const password = typeof login.password === 'string' ? login.password.slice(0, 256) : '';
  // No user ID holds a control character (and a NUL cannot be a bound text value on PostgreSQL):
  // such input is an unknown ID, with the same work.
  const lookupId = userId && !hasControlChars(userId) ? userId : '\u0001';
  const rows = await core.db.store.all<LoginCandidate & Record<string, unknown>>(
    `SELECT m.id, m.user_id, m.status, m.provisional_expires_at, c.hash, c.provisional
     FROM member m LEFT JOIN password_credential c ON c.member_id = m.id
     WHERE m.society_id = :society AND m.user_id = :userId`,
    { society: societyId, userId: lookupId },
  );
  const found = rows[0] ?? null;
  const who = found ? { id: asInt(found.id), userId: found.user_id } : null;
  let provisional = false;
  let value: T = undefined as T;
  const subject = who ? memberSubject(who.id) : unknownSubject(lookupId);
  // Smart lockout: this client's own counter at this account (the same lookup for unknown IDs).
  const client = await attemptClientFor(core, who, subject, { ip: login.ip, device: login.device ?? null });
  const outcome = await guardedAttempt<'ok' | 'expired'>(
    core,
    {
      societyId,
      subject,
      client,
      action: 'login.password',
      actor: { type: 'anonymous', ip: login.ip },
      member: who,
      failureCode: 'INVALID_CREDENTIALS',
    },
    async () => {
      const ok = found?.hash && password ? await core.hasher.verify(found.hash, password) : await core.hasher.verifyDummy(password);
      if (!found) return { ok: false, reason: 'unknown_user' };
      if (!found.hash) return { ok: false, reason: 'no_password' };
      if (found.status === 'disabled') return { ok: false, reason: 'disabled' };
      if (!ok) return { ok: false, reason: 'wrong_password' };
      provisional = Boolean(found.provisional);
      return { ok: true };
    },
    async (tx) => {
      const expiresAt = asDate(found!.provisional_expires_at);
      if (provisional && expiresAt && expiresAt.getTime() <= core.clock.now().getTime()) {
        await tx.audit({ societyId, actor: { type: 'anonymous', ip: login.ip }, action: 'login.password', outcome: 'failure', member: who, details: { reason: 'provisional_expired' } });
        return { ok: true, value: 'expired' };
      }
      // The failure count is not reset here but when the whole login succeeds (completeLogin).
      await tx.audit({ societyId, actor: { type: 'member', memberId: who!.id, userId: who!.userId, ip: login.ip }, action: 'login.password', member: who });
      if (within) value = await within(tx, who!);
      return { ok: true, value: 'ok' };
    },
  );
  if (outcome === 'expired') throw new KosmoError('PROVISIONAL_EXPIRED');
  return { member: who!, value };
}

/**
 * Whether the account may continue a login right now (not throttled, locked or disabled). With
 * the browser's device cookie: a known device of the member is not held back by the account's
 * back-off (smart lockout, issue 13) — only by the lock.
 */
export async function canContinueLogin(core: CoreContext, memberId: number, device?: string | null): Promise<boolean> {
  const rows = await core.db.store.all<{ status: string; society_id: number }>(`SELECT status, society_id FROM member WHERE id = :id`, { id: memberId });
  const member = rows[0];
  if (!member || member.status === 'disabled') return false;
  return throttleAllowsLogin(core, Number(member.society_id), memberId, device);
}

/** canContinueLogin's counter part, for a caller that has read the member already. */
export async function throttleAllowsLogin(core: CoreContext, societyId: number, memberId: number, device?: string | null): Promise<boolean> {
  const state = lockoutStatus(await loadThrottle(core, societyId, memberId), core.clock.now()).state;
  if (state === 'backoff' && device) return (await attemptClientFor(core, { id: memberId }, '', { ip: null, device }))?.known === true;
  return state === 'open';
}
