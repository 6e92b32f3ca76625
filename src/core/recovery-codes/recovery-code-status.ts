import type { CoreContext } from '../context.js';
import type { ActingMember } from '../actor.js';
import { asDate, asInt } from '../db/store/store.js';

export interface RecoveryCodeStatus {
  /** Codes not yet used. */
  remaining: number;
  /** When the current set was made; null when the member has none. */
  createdAt: Date | null;
}

/** How many of the member's recovery codes are left, and since when the set exists. */
export async function recoveryCodeStatus(core: CoreContext, acting: ActingMember): Promise<RecoveryCodeStatus> {
  const { societyId, memberId } = acting;
  const rows = await core.db.store.all(
    `SELECT COUNT(*) AS total, SUM(CASE WHEN used_at IS NULL THEN 1 ELSE 0 END) AS remaining, MAX(created_at) AS created_at
     FROM recovery_code WHERE member_id = :member AND society_id = :society`,
    { member: memberId, society: societyId },
  );
  const row = rows[0];
  if (!row || asInt(row.total) === 0) return { remaining: 0, createdAt: null };
  return { remaining: asInt(row.remaining), createdAt: asDate(row.created_at) };
}
