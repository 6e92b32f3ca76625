import { Member, PasswordCredential } from '../db/entities/index.js';
import type { ActingMember } from '../actor.js';
import type { CoreContext } from '../context.js';
import { memberActor } from './member-actor.js';
import { guardedAttempt } from './guarded-attempt.js';
import { memberSubject } from './throttle-store.js';

/** Re-authentication is needed when the last one is older than this (§2.9; ASVS 7.5.1). */
export const REAUTH_AFTER_MS = 5 * 60 * 1000;

export function needsReauthentication(authenticatedAt: Date | null | undefined, now: Date): boolean {
  return !authenticatedAt || now.getTime() - authenticatedAt.getTime() > REAUTH_AFTER_MS;
}

/**
 * `続行する際には再度認証してください。`: the password again, for a signed-in member. A guarded
 * attempt (guarded-attempt.ts) on the member's counter: reserved before argon2, refused unchecked
 * during the back-off (LOGIN_THROTTLED) or when locked (ACCOUNT_LOCKED; the
 * caller logs out). The failure count is not reset here but by the second factor that follows (as
 * in the login: else knowing the password would buy fresh guesses at the second factor).
 */
export async function reauthenticatePassword(core: CoreContext, acting: ActingMember, password: unknown): Promise<void> {
  const { societyId, memberId, ip } = acting;
  const em = core.db.em();
  const member = await em.findOneOrFail(Member, { id: memberId, society: societyId });
  const cred = await em.findOne(PasswordCredential, { member: memberId });
  const typed = typeof password === 'string' ? password.slice(0, 256) : '';
  const actor = memberActor(member, ip);
  await guardedAttempt<void>(
    core,
    { societyId, subject: memberSubject(memberId), action: 'reauth.password', actor, member, failureCode: 'INVALID_CREDENTIALS' },
    async () => {
      const ok = cred && typed !== '' ? await core.hasher.verify(cred.hash, typed) : await core.hasher.verifyDummy(typed);
      if (member.status === 'disabled') return { ok: false, reason: 'disabled' };
      return ok ? { ok: true } : { ok: false, reason: 'wrong_password' };
    },
    async (tx) => {
      await tx.audit({ societyId, actor, action: 'reauth.password', member });
      return { ok: true };
    },
  );
}
