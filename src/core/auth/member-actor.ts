import type { Actor } from '../actor.js';

/** The member acting on their own account, from the portal. */
export function memberActor(member: { id: number; userId: string }, ip: string | null): Actor {
  return { type: 'member', memberId: member.id, userId: member.userId, ip };
}
