import type { StoreQueries } from '../db/store/store.js';
import type { MemberView } from './member-view.js';

/**
 * The member a session belongs to, as front ends see it (`MemberView`), by id within one society:
 * one prepared statement of the core's store, the read every authenticated portal request makes
 * (DESIGN.md §6: no MikroORM unit of work per page view). Pass `core.db.store`, or a store
 * transaction's `tx`; on SQLite never call it inside an `em.transactional` callback.
 */
export async function memberViewById(store: StoreQueries, societyId: number, memberId: number): Promise<MemberView | null> {
  const rows = await store.all<{ id: number; user_id: string; name: string; email: string | null; status: MemberView['status']; preferred_method: MemberView['preferredMethod'] }>(
    `SELECT id, user_id, name, email, status, preferred_method FROM member WHERE id = :id AND society_id = :society`,
    { id: memberId, society: societyId },
  );
  const r = rows[0];
  if (!r) return null;
  return { id: Number(r.id), userId: r.user_id, name: r.name, email: r.email ?? null, status: r.status, preferredMethod: r.preferred_method ?? null };
}
