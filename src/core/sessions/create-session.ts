import { Session, type SessionRow } from '../db/entities/index.js';
import type { CoreContext } from '../context.js';
import { newToken } from '../random.js';
import type { SessionState } from './session-state.js';
import { limitsFor } from './session-policy.js';
import { newSessionToken, sessionTokenHash } from './session-token.js';

export interface NewSession {
  /** The plain token: goes into the cookie only, never stored or logged. */
  token: string;
  session: SessionRow;
}

export interface SessionClient {
  ip: string | null;
  userAgent: string | null;
}

/**
 * A new anonymous session (the login form needs a CSRF token before anyone is known). It gets the
 * normal limits; the login rotates it (new token) as soon as the password is accepted.
 */
export async function createSession(core: CoreContext, societyId: number, client: SessionClient, state: SessionState = {}): Promise<NewSession> {
  const token = newSessionToken(core.random);
  const now = core.clock.now();
  const limits = limitsFor(false);
  const em = core.db.em();
  const session = em.create(Session, {
    society: societyId,
    member: null,
    tokenHash: sessionTokenHash(token),
    state: { stage: 'anonymous', ...state, csrf: newToken(core.random) },
    persistent: false,
    authenticatedAt: null,
    createdAt: now,
    lastSeenAt: now,
    idleExpiresAt: new Date(now.getTime() + limits.idleMs),
    absoluteExpiresAt: new Date(now.getTime() + limits.absoluteMs),
    ip: client.ip?.slice(0, 64) ?? null,
    userAgent: client.userAgent?.slice(0, 255) ?? null,
  });
  await em.flush();
  return { token, session };
}
