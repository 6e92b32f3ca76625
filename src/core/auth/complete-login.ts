import { Member } from '../db/entities/index.js';
import type { CoreContext } from '../context.js';
import { auditedTransaction } from '../audit/insert-audit.js';
import { memberActor } from './member-actor.js';
import { clearUnlessLocked, memberSubject } from './throttle-store.js';

/** The member reached the top page: stamps the last login, resets the failure count, audits it. */
export async function completeLogin(core: CoreContext, societyId: number, memberId: number, ip: string | null): Promise<void> {
  const member = await core.db.em().findOneOrFail(Member, { id: memberId, society: societyId });
  const now = core.clock.now();
  await auditedTransaction(core, async (tx) => {
    await tx.run(`UPDATE member SET last_login_at = ${tx.sql.ts(':now')} WHERE id = :id AND society_id = :society`, { now, id: memberId, society: societyId });
    await clearUnlessLocked(tx, societyId, memberSubject(memberId));
    await tx.audit({ societyId, actor: memberActor(member, ip), action: 'login.success', member });
  });
}
