import type { CoreContext } from '../context.js';
import type { StoreQueries } from '../db/store/store.js';
import { KosmoError } from '../errors.js';
import { newToken } from '../random.js';
import type { SessionState } from './session-state.js';
import type { NewSession } from './create-session.js';
import { limitsFor } from './session-policy.js';
import { newSessionToken, sessionTokenHash } from './session-token.js';
import { SESSION_COLUMNS, sessionFromRow } from './session-row.js';

export interface SessionChange {
  /** The token hash the caller's request carried: the rotation is a compare-and-set on it. */
  expectTokenHash: string;
  /** The member the session now belongs to (set at the password step). */
  memberId: number | null;
  state: SessionState;
  /** Persistent limits and cookie (remember me), only once the login is complete. */
  persistent?: boolean;
  /** Marks the moment of (re)authentication: the absolute limit counts from here. */
  authenticated?: boolean;
}

/**
 * `rotateSession` as one prepared statement of the core's store — `UPDATE … WHERE id AND
 * token_hash = expected RETURNING …` — so a login step can renew the session inside the same store
 * transaction as its audit event and counters (pass the `tx` of `auditedTransaction` /
 * `core.db.store.transaction`), or on its own with `core.db.store`. Same rules as rotateSession:
 * new token and CSRF token, both deadlines from now, `authenticatedAt` moved only when
 * `authenticated`; a session that is gone or was rotated meanwhile (the compare-and-set matched
 * nothing) is SESSION_EXPIRED, and then nothing changed. The session returned is a plain row
 * (session-row.ts). On SQLite never call it inside an `em.transactional` callback.
 */
export async function rotateSessionInStore(core: CoreContext, store: StoreQueries, sessionId: number, change: SessionChange): Promise<NewSession> {
  const token = newSessionToken(core.random);
  const now = core.clock.now();
  const persistent = change.persistent ?? false;
  const limits = limitsFor(persistent);
  const ts = store.sql.ts;
  const rows = await store.all(
    `UPDATE session SET token_hash = :hash, member_id = :member, state = :state, persistent = :persistent,
       ${change.authenticated ? `authenticated_at = ${ts(':now')},` : ''} last_seen_at = ${ts(':now')}, idle_expires_at = ${ts(':idle')}, absolute_expires_at = ${ts(':absolute')}
     WHERE id = :id AND token_hash = :expected
     RETURNING ${SESSION_COLUMNS}`,
    {
      hash: sessionTokenHash(token),
      member: change.memberId,
      state: JSON.stringify({ ...change.state, csrf: newToken(core.random) }),
      persistent,
      now,
      idle: new Date(now.getTime() + limits.idleMs),
      absolute: new Date(now.getTime() + limits.absoluteMs),
      id: sessionId,
      expected: change.expectTokenHash,
    },
  );
  if (rows.length !== 1) throw new KosmoError('SESSION_EXPIRED');
  return { token, session: sessionFromRow(rows[0]!) };
}
