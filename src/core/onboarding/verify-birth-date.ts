import { Member } from '../db/entities/index.js';
import type { ActingMember } from '../actor.js';
import type { CoreContext } from '../context.js';
import { parseBirthDate } from '../accounts/birth-date.js';
import { guardedAttempt } from '../auth/guarded-attempt.js';
import { memberSubject } from '../auth/throttle-store.js';
import { memberActor } from '../auth/member-actor.js';

/**
 * 生年月日の入力 (§2.3 step 1): proves identity at first login and before a lost factor is
 * replaced. A wrong date counts towards the lockout like a wrong password; a malformed one does not
 * (it proves nothing either way). A guarded attempt (guarded-attempt.ts): reserved before it is
 * compared, refused unchecked while the account is throttled or locked; a failure that locks ends
 * in ACCOUNT_LOCKED.
 */
export async function verifyBirthDate(core: CoreContext, acting: ActingMember, input: unknown): Promise<void> {
  const { societyId, memberId, ip } = acting;
  const typed = parseBirthDate(input, core.clock.now());
  const member = await core.db.em().findOneOrFail(Member, { id: memberId, society: societyId });
  const actor = memberActor(member, ip);
  await guardedAttempt<void>(
    core,
    { societyId, subject: memberSubject(memberId), action: 'login.birth_date', actor, member, failureCode: 'BIRTH_DATE_MISMATCH' },
    async () => (member.status === 'disabled' ? { ok: false, reason: 'disabled' } : typed === member.birthDate ? { ok: true } : { ok: false, reason: 'mismatch' }),
    async (tx) => {
      await tx.run(`UPDATE member SET onboarding_step = 'terms' WHERE id = :id AND status = 'provisional' AND onboarding_step = 'birth_date'`, { id: memberId });
      await tx.audit({ societyId, actor, action: 'login.birth_date', member });
      return { ok: true };
    },
  );
}
