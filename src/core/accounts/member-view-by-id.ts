import type { StoreQueries } from '../db/store/store.js';
import type { MemberView } from './member-view.js';

/** The member columns a `MemberView` is made of, as `m.<column> AS mv_<column>`. */
export const MEMBER_VIEW_COLUMNS = ['id', 'user_id', 'name', 'email', 'status', 'preferred_method'].map((c) => `m.${c} AS mv_${c}`).join(', ');

/** The `MemberView` in a row selected with MEMBER_VIEW_COLUMNS (null when the join found no member). */
export function memberViewFromRow(r: Record<string, unknown>): MemberView | null {
  if (r.mv_id === null || r.mv_id === undefined) return null;
  return {
    id: Number(r.mv_id),
    userId: r.mv_user_id as string,
    name: r.mv_name as string,
    email: (r.mv_email as string | null) ?? null,
    status: r.mv_status as MemberView['status'],
    preferredMethod: (r.mv_preferred_method as MemberView['preferredMethod']) ?? null,
  };
}

/**
 * The member a session belongs to, as front ends see it (`MemberView`), by id within one society:
 * one prepared statement of the core's store (DESIGN.md §6: no MikroORM unit of work per page
 * view). Pass `core.db.store`, or a store transaction's `tx`; on SQLite never call it inside an
 * `em.transactional` callback.
 */
export async function memberViewById(store: StoreQueries, societyId: number, memberId: number): Promise<MemberView | null> {
  const rows = await store.all(`SELECT ${MEMBER_VIEW_COLUMNS} FROM member m WHERE m.id = :id AND m.society_id = :society`, { id: memberId, society: societyId });
  return rows[0] ? memberViewFromRow(rows[0]) : null;
}
