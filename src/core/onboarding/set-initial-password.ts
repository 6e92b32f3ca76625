import { Member } from '../db/entities/index.js';
import type { ActingMember } from '../actor.js';
import type { CoreContext } from '../context.js';
import { recordAudit } from '../audit/record-audit.js';
import { memberActor } from '../auth/member-actor.js';
import { replacePassword } from '../credentials/password/replace-password.js';

/** パスワードの更新 at first login (§2.3 step 4): replaces the provisional password. */
export async function setInitialPassword(core: CoreContext, acting: ActingMember, input: { password: unknown; confirm: unknown }): Promise<void> {
  const { societyId, memberId, ip } = acting;
  await core.db.em().transactional(async (em) => {
    const member = await em.findOneOrFail(Member, { id: memberId, society: societyId });
    await replacePassword(core, em, member, input.password, input.confirm);
    if (member.onboardingStep === 'password') member.onboardingStep = 'email';
    member.updatedAt = core.clock.now();
    recordAudit(em, core.clock, { societyId, actor: memberActor(member, ip), action: 'password.set', member, details: { during: 'first_login' } });
  });
}
