import { Session } from '../db/entities/index.js';
import type { CoreContext } from '../context.js';
import type { SessionState } from './session-state.js';

/** Stores the session's state (login progress, flash message) after a request changed it. */
export async function saveSessionState(core: CoreContext, sessionId: number, state: SessionState): Promise<void> {
  await core.db.em().nativeUpdate(Session, { id: sessionId }, { state });
}
