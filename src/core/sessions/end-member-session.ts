import type { CoreContext } from '../context.js';
import type { ActingMember } from '../actor.js';
import { memberActor } from '../auth/member-actor.js';
import { KosmoError } from '../errors.js';
import { auditedTransaction } from '../audit/insert-audit.js';

/**
 * ログイン中の端末 → `ログアウト` (issue 13): ends one other session of the member, server-side
 * (ASVS 7.4.1: the row is deleted, so that browser's cookie is worthless; its next request lands on
 * the login page). Only the member's own sessions: the statement is scoped by member and society,
 * so another member's session id changes nothing. Audited with the browser it ended.
 * Throws SESSION_NOT_FOUND when there was no such session (already ended).
 */
export async function endMemberSession(core: CoreContext, acting: ActingMember, input: { sessionId: number }): Promise<void> {
  const { societyId, memberId, ip } = acting;
  const { sessionId } = input;
  if (!Number.isSafeInteger(sessionId) || sessionId <= 0) throw new KosmoError('SESSION_NOT_FOUND');
  const ended = await auditedTransaction(core, async (tx) => {
    const rows = await tx.all(`DELETE FROM session WHERE id = :id AND member_id = :member AND society_id = :society RETURNING ip, user_agent`, {
      id: sessionId,
      member: memberId,
      society: societyId,
    });
    const row = rows[0];
    if (!row) return false;
    const owner = await tx.all(`SELECT user_id FROM member WHERE id = :member AND society_id = :society`, { member: memberId, society: societyId });
    const member = { id: memberId, userId: String(owner[0]?.user_id ?? '') };
    await tx.audit({ societyId, actor: memberActor(member, ip), action: 'sessions.revoke_one', member, details: { session: sessionId, ip: (row.ip as string | null) ?? null } });
    return true;
  });
  if (!ended) throw new KosmoError('SESSION_NOT_FOUND');
}
