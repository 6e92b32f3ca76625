import type { CoreContext } from '../context.js';
import type { NewSession } from './create-session.js';
import { rotateSessionInStore, type SessionChange } from './rotate-session-in-store.js';

export type { SessionChange } from './rotate-session-in-store.js';

/**
 * A new token for the same session at every (re)authentication (ASVS 7.2.4; OWASP Session
 * Management CS "renew the session ID after any privilege level change"): the old cookie value
 * stops working at once, which defeats session fixation. The CSRF token is renewed with it.
 * Both deadlines restart from now. One prepared statement (rotate-session-in-store.ts).
 */
export async function rotateSession(core: CoreContext, sessionId: number, change: SessionChange): Promise<NewSession> {
  return rotateSessionInStore(core, core.db.store, sessionId, change);
}
