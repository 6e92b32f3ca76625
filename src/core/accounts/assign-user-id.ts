import type { EntityManager } from '@mikro-orm/sql';
import { Member, type MemberRow } from '../db/entities/index.js';
import { KosmoError } from '../errors.js';
import { validateNewUserId } from './user-id.js';

/** Validates a new user ID (manual 2-1 ⑦) and checks it is free in the society. */
export async function assignUserId(em: EntityManager, member: MemberRow, input: unknown): Promise<string> {
  const userId = validateNewUserId(input);
  if (userId !== member.userId) {
    const taken = await em.count(Member, { society: member.society.id, userId, id: { $ne: member.id } });
    if (taken) throw new KosmoError('USER_ID_TAKEN');
  }
  member.userId = userId;
  return userId;
}
