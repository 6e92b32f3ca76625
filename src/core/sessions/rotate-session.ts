import { Member, Session, type SessionRow } from '../db/entities/index.js';
import type { CoreContext } from '../context.js';
import { KosmoError } from '../errors.js';
import { newToken } from '../random.js';
import type { SessionState } from './session-state.js';
import { limitsFor } from './session-policy.js';
import { newSessionToken, sessionTokenHash } from './session-token.js';

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
 * A new token for the same session at every (re)authentication (ASVS 7.2.4; OWASP Session
 * Management CS "renew the session ID after any privilege level change"): the old cookie value
 * stops working at once, which defeats session fixation. The CSRF token is renewed with it.
 * Both deadlines restart from now.
 */
export async function rotateSession(core: CoreContext, sessionId: number, change: SessionChange): Promise<{ token: string; session: SessionRow }> {
  const token = newSessionToken(core.random);
  const now = core.clock.now();
  const persistent = change.persistent ?? false;
  const limits = limitsFor(persistent);
  const em = core.db.em();
  const session = await em.findOneOrFail(Session, { id: sessionId });
  const next = {
    tokenHash: sessionTokenHash(token),
    member: change.memberId === null ? null : em.getReference(Member, change.memberId),
    state: { ...change.state, csrf: newToken(core.random) },
    persistent,
    authenticatedAt: change.authenticated ? now : session.authenticatedAt,
    lastSeenAt: now,
    idleExpiresAt: new Date(now.getTime() + limits.idleMs),
    absoluteExpiresAt: new Date(now.getTime() + limits.absoluteMs),
  };
  // Compare-and-set on the token the request carried: of two requests racing on one session,
  // one rotates it; the other's token is already gone, so it cannot rotate (or fixate) it again.
  const moved = await em.nativeUpdate(Session, { id: sessionId, tokenHash: change.expectTokenHash }, next);
  if (moved !== 1) throw new KosmoError('SESSION_EXPIRED');
  em.assign(session, next);
  return { token, session };
}
