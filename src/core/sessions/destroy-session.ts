import { Member, Session } from '../db/entities/index.js';
import type { CoreContext } from '../context.js';
import type { ActingMember } from '../actor.js';
import { memberActor } from '../auth/member-actor.js';
import { recordAudit } from '../audit/record-audit.js';

/**
 * Server-side logout (ASVS 7.4.1): the row is deleted, so the old cookie is worthless even if it
 * was copied. Audited when the session belonged to a member and that member logs out (`acting`);
 * without one (an anonymous session, a login that ended on its own) nothing is audited.
 */
export async function destroySession(core: CoreContext, acting: ActingMember | null, input: { societyId: number; sessionId: number }): Promise<void> {
  const { societyId, sessionId } = input;
  await core.db.em().transactional(async (em) => {
    const session = await em.findOne(Session, { id: sessionId, society: societyId }, { populate: ['member'] });
    if (!session) return;
    const member = session.member ?? null;
    await em.nativeDelete(Session, { id: sessionId });
    if (member && acting) recordAudit(em, core.clock, { societyId, actor: memberActor(member, acting.ip), action: 'logout', member: { id: member.id, userId: member.userId } });
  });
}

/**
 * Ends every other session of a member (`全てのデバイスからサインアウトする`, ASVS 7.4.3), keeping
 * the one in use. Returns how many ended.
 */
export async function destroyOtherSessions(core: CoreContext, acting: ActingMember, input: { keepSessionId: number | null }): Promise<number> {
  const { societyId, memberId, ip } = acting;
  const { keepSessionId } = input;
  return core.db.em().transactional(async (em) => {
    const where = keepSessionId === null ? { society: societyId, member: memberId } : { society: societyId, member: memberId, id: { $ne: keepSessionId } };
    const member = await em.findOneOrFail(Member, { id: memberId, society: societyId });
    const count = await em.nativeDelete(Session, where);
    recordAudit(em, core.clock, { societyId, actor: memberActor(member, ip), action: 'sessions.revoke', member, details: { count } });
    return count;
  });
}
