import { Session } from '../db/entities/index.js';
import type { CoreContext } from '../context.js';
import type { SessionState } from './session-state.js';

/**
 * Stores the session's state (login progress, flash message) after a request changed it — only
 * while the session still has the token the request carried: a request that lost a race with a
 * rotation (a new login step) cannot write its stale state over the newer one.
 */
export async function saveSessionState(core: CoreContext, sessionId: number, tokenHash: string, state: SessionState): Promise<void> {
  await core.db.em().nativeUpdate(Session, { id: sessionId, tokenHash }, { state });
}
