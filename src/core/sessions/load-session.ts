import type { CoreContext } from '../context.js';
import { limitsFor, SESSION_TOUCH_INTERVAL_MS } from './session-policy.js';
import { looksLikeSessionToken, sessionTokenHash } from './session-token.js';
import { SESSION_COLUMNS, sessionFromRow, type SessionView } from './session-row.js';
import type { MemberView } from '../accounts/member-view.js';
import { MEMBER_VIEW_COLUMNS, memberViewFromRow } from '../accounts/member-view-by-id.js';

// One statement for the session and its member: the two reads of every authenticated page.
const LOAD_SESSION_SQL = `SELECT ${SESSION_COLUMNS.replace(/(^|, )/g, '$1s.')}, ${MEMBER_VIEW_COLUMNS}
  FROM session s LEFT JOIN member m ON m.id = s.member_id AND m.society_id = s.society_id
  WHERE s.token_hash = :hash AND s.society_id = :society`;

export type LoadedSession =
  /** `member`: the member the session belongs to, read in the same statement (null when none). */
  | { status: 'valid'; session: SessionView; member: MemberView | null }
  /** The token was ours but the session timed out (idle or absolute); the row is gone now. */
  | { status: 'expired'; hadMember: boolean }
  | { status: 'missing' };

/**
 * Finds the session for a cookie value within one society and enforces the idle and absolute
 * limits (ASVS 7.3.1, 7.3.2). An expired session is deleted at once, so it can never come back.
 * A valid one has its idle deadline moved forward (at most once a minute, never past the
 * absolute deadline).
 *
 * Every portal request runs this: one prepared statement of the core's store (DESIGN.md §6), plus
 * a write only when the idle deadline moves or the session expired. The session is a plain row
 * (session-row.ts), not a MikroORM entity.
 */
export async function loadSession(core: CoreContext, societyId: number, token: unknown): Promise<LoadedSession> {
  if (!looksLikeSessionToken(token)) return { status: 'missing' };
  const store = core.db.store;
  const rows = await store.all(LOAD_SESSION_SQL, { hash: sessionTokenHash(token), society: societyId });
  if (rows.length === 0) return { status: 'missing' };
  const session = sessionFromRow(rows[0]!);
  const member = memberViewFromRow(rows[0]!);
  const now = core.clock.now().getTime();
  if (now >= session.idleExpiresAt.getTime() || now >= session.absoluteExpiresAt.getTime()) {
    await store.run(`DELETE FROM session WHERE id = :id`, { id: session.id });
    return { status: 'expired', hadMember: session.member !== null && session.member !== undefined };
  }
  if (now - session.lastSeenAt.getTime() >= SESSION_TOUCH_INTERVAL_MS) {
    const idle = new Date(Math.min(now + limitsFor(session.persistent).idleMs, session.absoluteExpiresAt.getTime()));
    // Only while the token is still the one read: a rotation meanwhile set fresh deadlines itself.
    await store.run(`UPDATE session SET last_seen_at = ${store.sql.ts(':now')}, idle_expires_at = ${store.sql.ts(':idle')} WHERE id = :id AND token_hash = :hash`, {
      now: new Date(now),
      idle,
      id: session.id,
      hash: session.tokenHash,
    });
    session.lastSeenAt = new Date(now);
    session.idleExpiresAt = idle;
  }
  return { status: 'valid', session, member };
}
