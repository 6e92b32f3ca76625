import type { SessionRow } from '../db/entities/index.js';
import { asDate } from '../db/store/store.js';
import type { SessionState } from './session-state.js';

/** The columns `sessionFromRow` reads, for the store's SELECT and RETURNING lists. */
export const SESSION_COLUMNS = 'id, society_id, member_id, token_hash, state, persistent, authenticated_at, created_at, last_seen_at, idle_expires_at, absolute_expires_at, ip, user_agent';

/**
 * A session row read through the core's store, in the shape of the Session entity: a plain object
 * (`society` and `member` as `{ id }` references), not managed by any EntityManager — read it, and
 * change the session only through the session functions (rotate, save state, destroy).
 */
export function sessionFromRow(r: Record<string, unknown>): SessionRow {
  const row = {
    id: Number(r.id),
    society: { id: Number(r.society_id) },
    member: r.member_id === null || r.member_id === undefined ? null : { id: Number(r.member_id) },
    tokenHash: r.token_hash as string,
    state: (typeof r.state === 'string' ? JSON.parse(r.state) : (r.state ?? {})) as SessionState,
    persistent: r.persistent === true || r.persistent === 1 || r.persistent === 1n,
    authenticatedAt: asDate(r.authenticated_at),
    createdAt: asDate(r.created_at)!,
    lastSeenAt: asDate(r.last_seen_at)!,
    idleExpiresAt: asDate(r.idle_expires_at)!,
    absoluteExpiresAt: asDate(r.absolute_expires_at)!,
    ip: (r.ip as string | null) ?? null,
    userAgent: (r.user_agent as string | null) ?? null,
  };
  return row as unknown as SessionRow;
}
