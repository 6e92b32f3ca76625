import { asDate } from '../db/store/store.js';
import type { SessionState } from './session-state.js';

/**
 * A session as front ends see it: plain data in the Session entity's shape (`society` and `member`
 * as `{ id }` references), never an ORM entity.
 */
export interface SessionView {
  id: number;
  society: { id: number };
  member: { id: number } | null;
  tokenHash: string;
  state: SessionState;
  persistent: boolean;
  authenticatedAt: Date | null;
  createdAt: Date;
  lastSeenAt: Date;
  idleExpiresAt: Date;
  absoluteExpiresAt: Date;
  ip: string | null;
  userAgent: string | null;
}

/** The columns `sessionFromRow` reads, for the store's SELECT and RETURNING lists. */
export const SESSION_COLUMNS = 'id, society_id, member_id, token_hash, state, persistent, authenticated_at, created_at, last_seen_at, idle_expires_at, absolute_expires_at, ip, user_agent';

/**
 * A session row read through the core's store, in the shape of the Session entity: a plain object
 * (`society` and `member` as `{ id }` references), not managed by any EntityManager — read it, and
 * change the session only through the session functions (rotate, save state, destroy).
 */
export function sessionFromRow(r: Record<string, unknown>): SessionView {
  return {
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
}
