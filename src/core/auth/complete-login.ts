import { Member } from '../db/entities/index.js';
import type { CoreContext } from '../context.js';
import { recordAudit } from '../audit/record-audit.js';
import { memberActor } from './member-actor.js';
import { clearFailures } from './lockout.js';

/** The member reached the top page: stamps the last login, resets the failure count, audits it. */
export async function completeLogin(core: CoreContext, societyId: number, memberId: number, ip: string | null): Promise<void> {
  await core.db.em().transactional(async (em) => {
    const member = await em.findOneOrFail(Member, { id: memberId, society: societyId });
    member.lastLoginAt = core.clock.now();
    await clearFailures(em, member.id);
    recordAudit(em, core.clock, { societyId, actor: memberActor(member, ip), action: 'login.success', member });
  });
}
