import type { CoreContext } from '../context.js';
import type { ActingMember } from '../actor.js';
import { asDate, asInt } from '../db/store/store.js';
import { describeUserAgent } from '../devices/describe-user-agent.js';

/** One signed-in browser of the member, as ログイン中の端末 shows it. */
export interface MemberSessionView {
  id: number;
  browser: string;
  os: string;
  /** The client address the session started from (the approximate place; no geolocation). */
  ip: string | null;
  signedInAt: Date | null;
  lastActiveAt: Date;
  /** `ログイン状態の保存` was ticked (a persistent session). */
  rememberMe: boolean;
  /** The session of the request asking (`この端末`). */
  current: boolean;
}

/**
 * ログイン中の端末 (issue 13): the member's signed-in sessions that have not timed out, the
 * current one first, then by last activity. Sessions still in their login steps are not listed:
 * they cannot act yet, and the lockout ends them. One prepared statement.
 */
export async function listMemberSessions(core: CoreContext, acting: ActingMember, currentSessionId: number | null): Promise<MemberSessionView[]> {
  const { societyId, memberId } = acting;
  const store = core.db.store;
  const now = core.clock.now();
  const rows = await store.all(
    `SELECT id, state, persistent, authenticated_at, created_at, last_seen_at, ip, user_agent FROM session
     WHERE society_id = :society AND member_id = :member AND authenticated_at IS NOT NULL
       AND idle_expires_at > ${store.sql.ts(':now')} AND absolute_expires_at > ${store.sql.ts(':now')}
     ORDER BY last_seen_at DESC, id DESC`,
    { society: societyId, member: memberId, now },
  );
  const list = rows
    .filter((r) => stageOf(r.state) === 'authenticated')
    .map((r) => {
      const ua = describeUserAgent(r.user_agent as string | null);
      const id = asInt(r.id);
      return {
        id,
        browser: ua.browser,
        os: ua.os,
        ip: (r.ip as string | null) ?? null,
        signedInAt: asDate(r.authenticated_at),
        lastActiveAt: asDate(r.last_seen_at)!,
        rememberMe: r.persistent === true || r.persistent === 1 || r.persistent === 1n,
        current: id === currentSessionId,
      };
    });
  return [...list.filter((s) => s.current), ...list.filter((s) => !s.current)];
}

function stageOf(state: unknown): unknown {
  const parsed = typeof state === 'string' ? (JSON.parse(state) as { stage?: unknown }) : (state as { stage?: unknown } | null);
  return parsed?.stage;
}
