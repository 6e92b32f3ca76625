import { Member, PasswordCredential, Society, type MemberRow } from '../db/entities/index.js';
import type { CoreContext } from '../context.js';
import { KosmoError } from '../errors.js';
import { recordAudit } from '../audit/record-audit.js';
import { normalizeUserId } from '../accounts/user-id.js';
import { hasControlChars } from '../util/normalize.js';
import { notifyMember } from '../mail/notify-member.js';
import { loadLockout, lockoutStatus, registerFailure } from './lockout.js';

export interface PasswordLogin {
  userId: unknown;
  password: unknown;
  ip: string | null;
}

/**
 * Step one of every login. Unknown ID, wrong password, disabled, throttled and locked accounts all
 * end in the same INVALID_CREDENTIALS after the same argon2 work (ASVS 6.3.8: no enumeration by
 * body or timing). Failures count towards the lockout of an existing account.
 */
export async function authenticatePassword(core: CoreContext, societyId: number, login: PasswordLogin): Promise<MemberRow> {
  const userId = normalizeUserId(login.userId).slice(0, 128);
  const password = typeof login.password === 'string' ? login.password.slice(0, 256) : '';
  const em = core.db.em();
  // No user ID holds a control character; a NUL would also break the query (SQLite ends the
  // statement there, PostgreSQL refuses it): treat such input as an unknown ID, same work.
  const member = userId && !hasControlChars(userId) ? await em.findOne(Member, { society: societyId, userId }) : null;
  const cred = member ? await em.findOne(PasswordCredential, { member: member.id }) : null;
  const now = core.clock.now();
  const lock = member ? lockoutStatus(await loadLockout(em, member.id), now) : { state: 'open' as const };

  const ok = cred && password ? await core.hasher.verify(cred.hash, password) : await core.hasher.verifyDummy(password);
  const anonymous = { type: 'anonymous' as const, ip: login.ip };

  if (!member || !cred) {
    await em.transactional(async (tx) => recordAudit(tx, core.clock, { societyId, actor: anonymous, action: 'login.password', outcome: 'failure', details: { reason: 'unknown_user' } }));
    throw new KosmoError('INVALID_CREDENTIALS');
  }
  const who = { id: member.id, userId: member.userId };
  if (lock.state !== 'open' || member.status === 'disabled') {
    const reason = member.status === 'disabled' ? 'disabled' : lock.state;
    await em.transactional(async (tx) => recordAudit(tx, core.clock, { societyId, actor: anonymous, action: 'login.password', outcome: 'failure', member: who, details: { reason } }));
    throw new KosmoError('INVALID_CREDENTIALS');
  }
  if (!ok) {
    await recordAuthFailure(core, societyId, member.id, login.ip, 'login.password');
    throw new KosmoError('INVALID_CREDENTIALS');
  }
  if (cred.provisional && member.provisionalExpiresAt && member.provisionalExpiresAt.getTime() <= now.getTime()) {
    await em.transactional(async (tx) => recordAudit(tx, core.clock, { societyId, actor: anonymous, action: 'login.password', outcome: 'failure', member: who, details: { reason: 'provisional_expired' } }));
    throw new KosmoError('PROVISIONAL_EXPIRED');
  }
  // The failure count is not reset here but when the whole login succeeds (completeLogin): else
  // knowing the password would buy fresh guesses at the birth date and the second factor.
  await em.transactional(async (tx) => {
    recordAudit(tx, core.clock, { societyId, actor: { type: 'member', memberId: member.id, userId: member.userId, ip: login.ip }, action: 'login.password', member: who });
  });
  return member;
}

/**
 * Counts a failed password, birth-date or second-factor attempt and audits it; returns true when
 * the account is now locked (the caller ends the login).
 */
export async function recordAuthFailure(core: CoreContext, societyId: number, memberId: number, ip: string | null, action: string): Promise<boolean> {
  return core.db.em().transactional(async (em) => {
    const member = await em.findOneOrFail(Member, { id: memberId, society: societyId });
    const society = await em.findOneOrFail(Society, { id: societyId });
    const locked = await registerFailure(em, member, society.settings.lockout, core.clock.now());
    const who = { id: member.id, userId: member.userId };
    recordAudit(em, core.clock, { societyId, actor: { type: 'anonymous', ip }, action, outcome: 'failure', member: who });
    if (locked) {
      recordAudit(em, core.clock, { societyId, actor: { type: 'system', name: 'lockout' }, action: 'member.locked', member: who });
      await notifyMember(em, core, member, 'account-locked', {});
    }
    return locked;
  });
}

/** Whether the account may continue a login right now (not throttled, locked or disabled). */
export async function canContinueLogin(core: CoreContext, memberId: number): Promise<boolean> {
  const em = core.db.em();
  const member = await em.findOne(Member, { id: memberId });
  if (!member || member.status === 'disabled') return false;
  return lockoutStatus(await loadLockout(em, memberId), core.clock.now()).state === 'open';
}
