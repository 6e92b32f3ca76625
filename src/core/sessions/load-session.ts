import { Session, type SessionRow } from '../db/entities/index.js';
import type { CoreContext } from '../context.js';
import { limitsFor, SESSION_TOUCH_INTERVAL_MS } from './session-policy.js';
import { looksLikeSessionToken, sessionTokenHash } from './session-token.js';

export type LoadedSession =
  | { status: 'valid'; session: SessionRow }
  /** The token was ours but the session timed out (idle or absolute); the row is gone now. */
  | { status: 'expired'; hadMember: boolean }
  | { status: 'missing' };

/**
 * Finds the session for a cookie value within one society and enforces the idle and absolute
 * limits (ASVS 7.3.1, 7.3.2). An expired session is deleted at once, so it can never come back.
 * A valid one has its idle deadline moved forward (at most once a minute, never past the
 * absolute deadline).
 */
export async function loadSession(core: CoreContext, societyId: number, token: unknown): Promise<LoadedSession> {
  if (!looksLikeSessionToken(token)) return { status: 'missing' };
  const em = core.db.em();
  const session = await em.findOne(Session, { tokenHash: sessionTokenHash(token), society: societyId });
  if (!session) return { status: 'missing' };
  const now = core.clock.now().getTime();
  if (now >= session.idleExpiresAt.getTime() || now >= session.absoluteExpiresAt.getTime()) {
    await em.nativeDelete(Session, { id: session.id });
    return { status: 'expired', hadMember: session.member !== null && session.member !== undefined };
  }
  if (now - session.lastSeenAt.getTime() >= SESSION_TOUCH_INTERVAL_MS) {
    const idle = new Date(Math.min(now + limitsFor(session.persistent).idleMs, session.absoluteExpiresAt.getTime()));
    await em.nativeUpdate(Session, { id: session.id }, { lastSeenAt: new Date(now), idleExpiresAt: idle });
    session.lastSeenAt = new Date(now);
    session.idleExpiresAt = idle;
  }
  return { status: 'valid', session };
}
