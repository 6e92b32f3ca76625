import type { CoreContext } from '../context.js';
import { newToken } from '../random.js';
import type { SessionState } from './session-state.js';
import { limitsFor } from './session-policy.js';
import { newSessionToken, sessionTokenHash } from './session-token.js';
import { SESSION_COLUMNS, sessionFromRow, type SessionView } from './session-row.js';

export interface NewSession {
  /** The plain token: goes into the cookie only, never stored or logged. */
  token: string;
  session: SessionView;
}

export interface SessionClient {
  ip: string | null;
  userAgent: string | null;
}

/**
 * A new anonymous session (the login form needs a CSRF token before anyone is known). It gets the
 * normal limits; the login rotates it (new token) as soon as the password is accepted.
 *
 * One prepared INSERT … RETURNING of the core's store (every login starts here). The session is a
 * plain row (session-row.ts). On SQLite never call this inside an `em.transactional` callback.
 */
export async function createSession(core: CoreContext, societyId: number, client: SessionClient, state: SessionState = {}): Promise<NewSession> {
  const token = newSessionToken(core.random);
  const now = core.clock.now();
  const limits = limitsFor(false);
  const store = core.db.store;
  const ts = store.sql.ts;
  const rows = await store.all(
    `INSERT INTO session (society_id, member_id, token_hash, state, persistent, authenticated_at, created_at, last_seen_at, idle_expires_at, absolute_expires_at, ip, user_agent)
     VALUES (:society, NULL, :hash, :state, :persistent, NULL, ${ts(':now')}, ${ts(':now')}, ${ts(':idle')}, ${ts(':absolute')}, :ip, :userAgent)
     RETURNING ${SESSION_COLUMNS}`,
    {
      society: societyId,
      hash: sessionTokenHash(token),
      state: JSON.stringify({ stage: 'anonymous', ...state, csrf: newToken(core.random) } satisfies SessionState),
      persistent: false,
      now,
      idle: new Date(now.getTime() + limits.idleMs),
      absolute: new Date(now.getTime() + limits.absoluteMs),
      ip: client.ip?.slice(0, 64) ?? null,
      userAgent: client.userAgent?.slice(0, 255) ?? null,
    },
  );
  return { token, session: sessionFromRow(rows[0]!) };
}
