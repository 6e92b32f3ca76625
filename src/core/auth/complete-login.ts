import type { CoreContext } from '../context.js';
import { auditedTransaction, type AuditingTx } from '../audit/insert-audit.js';
import { memberActor } from './member-actor.js';
import { clearUnlessLocked, memberSubject } from './throttle-store.js';
import type { MemberRef } from './authenticate-password.js';

/**
 * The member reached the top page: stamps the last login, resets the failure count, audits it —
 * inside `tx` (with the session's rotation: advance-login.ts), or in a transaction of its own.
 */
export async function completeLogin(core: CoreContext, societyId: number, member: MemberRef, ip: string | null, tx?: AuditingTx): Promise<void> {
  if (!tx) return auditedTransaction(core, (own) => completeLogin(core, societyId, member, ip, own));
  await tx.run(`UPDATE member SET last_login_at = ${tx.sql.ts(':now')} WHERE id = :id AND society_id = :society`, { now: core.clock.now(), id: member.id, society: societyId });
  await clearUnlessLocked(tx, societyId, memberSubject(member.id));
  await tx.audit({ societyId, actor: memberActor(member, ip), action: 'login.success', member });
}
