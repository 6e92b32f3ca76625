import type { EntityManager } from '@mikro-orm/sql';
import { Member, type MemberRow } from '../db/entities/index.js';
import type { CoreContext } from '../context.js';
import { KosmoError } from '../errors.js';
import { normalizeUserId } from './user-id.js';

/** By user ID within one society (case-insensitive, full-width folded); MEMBER_NOT_FOUND otherwise. */
export async function findMemberByUserId(core: CoreContext, societyId: number, userId: string, em: EntityManager = core.db.em()): Promise<MemberRow> {
  const m = await em.findOne(Member, { society: societyId, userId: normalizeUserId(userId) });
  if (!m) throw new KosmoError('MEMBER_NOT_FOUND', { userId });
  return m;
}

/** Loads a member by id inside a unit of work, always scoped by society. */
export async function loadMember(em: EntityManager, societyId: number, memberId: number): Promise<MemberRow> {
  const m = await em.findOne(Member, { id: memberId, society: societyId });
  if (!m) throw new KosmoError('MEMBER_NOT_FOUND', { memberId });
  return m;
}

/** The internal id of a member named by user ID in one society (MEMBER_NOT_FOUND otherwise). */
export async function memberIdOf(core: CoreContext, societyId: number, userId: string): Promise<number> {
  return (await findMemberByUserId(core, societyId, userId)).id;
}
