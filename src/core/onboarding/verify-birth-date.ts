import { Member } from '../db/entities/index.js';
import type { CoreContext } from '../context.js';
import { KosmoError } from '../errors.js';
import { recordAudit } from '../audit/record-audit.js';
import { parseBirthDate } from '../accounts/birth-date.js';
import { canContinueLogin, recordAuthFailure } from '../auth/authenticate-password.js';
import { clearFailures } from '../auth/lockout.js';
import { memberActor } from '../auth/member-actor.js';

/**
 * 生年月日の入力 (§2.3 step 1): proves identity at first login and before a lost factor is
 * replaced. A wrong date counts towards the lockout like a wrong password; a malformed one does not
 * (it proves nothing either way). A failure that locks the account ends in INVALID_CREDENTIALS, and so
 * does any attempt while the account is throttled, locked or disabled.
 */
export async function verifyBirthDate(core: CoreContext, societyId: number, memberId: number, input: unknown, ip: string | null): Promise<void> {
  // A throttled, locked or disabled account gets no guess, right or wrong (as at the password step).
  if (!(await canContinueLogin(core, memberId))) throw new KosmoError('INVALID_CREDENTIALS');
  const typed = parseBirthDate(input, core.clock.now());
  const em = core.db.em();
  const member = await em.findOneOrFail(Member, { id: memberId, society: societyId });
  if (typed !== member.birthDate) {
    const locked = await recordAuthFailure(core, societyId, memberId, ip, 'login.birth_date');
    throw new KosmoError(locked ? 'INVALID_CREDENTIALS' : 'BIRTH_DATE_MISMATCH', { locked });
  }
  await em.transactional(async (tx) => {
    const m = await tx.findOneOrFail(Member, { id: memberId });
    if (m.status === 'provisional' && m.onboardingStep === 'birth_date') m.onboardingStep = 'terms';
    await clearFailures(tx, memberId);
    recordAudit(tx, core.clock, { societyId, actor: memberActor(m, ip), action: 'login.birth_date', member: m });
  });
}
