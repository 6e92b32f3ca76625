import { Member, PasswordCredential } from '../db/entities/index.js';
import type { CoreContext } from '../context.js';
import { KosmoError } from '../errors.js';
import { recordAudit } from '../audit/record-audit.js';
import { memberActor } from './member-actor.js';
import { recordAuthFailure } from './authenticate-password.js';
import { loadLockout, lockoutStatus } from './lockout.js';

/** Re-authentication is needed when the last one is older than this (§2.9; ASVS 7.5.1). */
export const REAUTH_AFTER_MS = 5 * 60 * 1000;

export function needsReauthentication(authenticatedAt: Date | null | undefined, now: Date): boolean {
  return !authenticatedAt || now.getTime() - authenticatedAt.getTime() > REAUTH_AFTER_MS;
}

/**
 * `続行する際には再度認証してください。`: the password again, for a signed-in member. A wrong
 * password counts towards the lockout; one that locks the account ends the session (the caller
 * logs out on INVALID_CREDENTIALS with `locked`). While the account is in its back-off (or
 * locked, or disabled) the password is not even checked: INVALID_CREDENTIALS with `throttled`.
 * The failure count is not reset here but by the second factor that follows (as in the login:
 * else knowing the password would buy fresh guesses at the second factor).
 */
export async function reauthenticatePassword(core: CoreContext, societyId: number, memberId: number, password: unknown, ip: string | null): Promise<void> {
  const em = core.db.em();
  const member = await em.findOneOrFail(Member, { id: memberId, society: societyId });
  const lock = lockoutStatus(await loadLockout(em, memberId), core.clock.now());
  if (lock.state !== 'open' || member.status === 'disabled') {
    await em.transactional(async (tx) =>
      recordAudit(tx, core.clock, { societyId, actor: memberActor(member, ip), action: 'reauth.password', outcome: 'failure', member, details: { reason: member.status === 'disabled' ? 'disabled' : lock.state } }),
    );
    throw new KosmoError('INVALID_CREDENTIALS', { locked: lock.state === 'locked' || member.status === 'disabled', throttled: true });
  }
  const cred = await em.findOne(PasswordCredential, { member: memberId });
  const ok = cred && typeof password === 'string' && password !== '' ? await core.hasher.verify(cred.hash, password.slice(0, 256)) : await core.hasher.verifyDummy(typeof password === 'string' ? password.slice(0, 256) : '');
  if (!ok) {
    const locked = await recordAuthFailure(core, societyId, memberId, ip, 'reauth.password');
    throw new KosmoError('INVALID_CREDENTIALS', { locked });
  }
  await em.transactional(async (tx) => {
    recordAudit(tx, core.clock, { societyId, actor: memberActor(member, ip), action: 'reauth.password', member });
  });
}
