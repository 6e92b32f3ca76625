import type { Actor } from '../actor.js';
import type { MemberRow } from '../db/entities/index.js';

/** The member acting on their own account, from the portal. */
export function memberActor(member: MemberRow, ip: string | null): Actor {
  return { type: 'member', memberId: member.id, userId: member.userId, ip };
}
