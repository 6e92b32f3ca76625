import type { MemberRow, MemberStatus, SecondFactorMethod } from '../db/entities/index.js';

/** What a front end knows of the member a session belongs to: plain data, no entity. */
export interface MemberView {
  id: number;
  userId: string;
  name: string;
  email: string | null;
  status: MemberStatus;
  preferredMethod: SecondFactorMethod | null;
}

export function memberView(m: MemberRow): MemberView {
  return { id: m.id, userId: m.userId, name: m.name, email: m.email ?? null, status: m.status, preferredMethod: m.preferredMethod ?? null };
}
