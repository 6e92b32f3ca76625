import { Member, Session } from '../db/entities/index.js';
import type { CoreContext } from '../context.js';
import type { Actor } from '../actor.js';
import { recordAudit } from '../audit/record-audit.js';

/**
 * Server-side logout (ASVS 7.4.1): the row is deleted, so the old cookie is worthless even if it
 * was copied. Audited when the session belonged to a member.
 */
export async function destroySession(core: CoreContext, societyId: number, sessionId: number, actor: Actor | null): Promise<void> {
  await core.db.em().transactional(async (em) => {
    const session = await em.findOne(Session, { id: sessionId, society: societyId }, { populate: ['member'] });
    if (!session) return;
    const member = session.member ?? null;
    await em.nativeDelete(Session, { id: sessionId });
    if (member && actor) recordAudit(em, core.clock, { societyId, actor, action: 'logout', member: { id: member.id, userId: member.userId } });
  });
}

/**
 * Ends every other session of a member (`全てのデバイスからサインアウトする`, ASVS 7.4.3), keeping
 * the one in use. Returns how many ended.
 */
export async function destroyOtherSessions(core: CoreContext, societyId: number, memberId: number, keepSessionId: number | null, actor: Actor): Promise<number> {
  return core.db.em().transactional(async (em) => {
    const where = keepSessionId === null ? { society: societyId, member: memberId } : { society: societyId, member: memberId, id: { $ne: keepSessionId } };
    const member = await em.findOneOrFail(Member, { id: memberId, society: societyId });
    const count = await em.nativeDelete(Session, where);
    recordAudit(em, core.clock, { societyId, actor, action: 'sessions.revoke', member, details: { count } });
    return count;
  });
}
