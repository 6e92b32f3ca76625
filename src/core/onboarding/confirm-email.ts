import { Member } from '../db/entities/index.js';
import type { ActingMember } from '../actor.js';
import type { CoreContext } from '../context.js';
import { recordAudit } from '../audit/record-audit.js';
import { memberActor } from '../auth/member-actor.js';
import { assignEmail } from '../accounts/assign-email.js';

/** メールアドレスの更新 at first login (§2.3 step 5): confirms or changes the registered address. */
export async function confirmEmail(core: CoreContext, acting: ActingMember, input: unknown): Promise<void> {
  const { societyId, memberId, ip } = acting;
  await core.db.em().transactional(async (em) => {
    const member = await em.findOneOrFail(Member, { id: memberId, society: societyId });
    const before = member.email;
    await assignEmail(em, member, input);
    if (member.onboardingStep === 'email') member.onboardingStep = 'factor_setup';
    member.updatedAt = core.clock.now();
    recordAudit(em, core.clock, { societyId, actor: memberActor(member, ip), action: 'member.email', member, details: { changed: before !== member.email, during: 'first_login' } });
  });
}
