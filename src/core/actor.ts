/** Who does something: every core service takes one, and the audit log records it. */
export type Actor =
  { type: 'member'; memberId: number; userId: string; ip: string | null } | { type: 'anonymous'; ip: string | null } | { type: 'staff'; name: string } | { type: 'system'; name: string };

/**
 * A member acting on their own account (the portal's member, signed in or in the login's steps):
 * the first argument after the core of every member command, so a society id, a member id and an
 * address can never change places in a call. The command reads the member itself; the audit event
 * names them and the address.
 */
export interface ActingMember {
  societyId: number;
  memberId: number;
  ip: string | null;
}

export function staff(name: string): Actor {
  return { type: 'staff', name };
}

export function actorLabel(actor: Actor): string {
  switch (actor.type) {
    case 'member':
      return actor.userId;
    case 'anonymous':
      return 'anonymous';
    case 'staff':
      return actor.name;
    case 'system':
      return actor.name;
  }
}

export function actorIp(actor: Actor): string | null {
  return actor.type === 'member' || actor.type === 'anonymous' ? actor.ip : null;
}
