import type { SessionView } from '../sessions/session-row.js';
import type { SessionState } from '../sessions/session-state.js';

/** The session a login step runs in, as the front end loaded it. */
export interface LoginSession {
  id: number;
  /** The token hash the request carried: every rotation is a compare-and-set on it. */
  tokenHash: string;
  state: SessionState;
}

/** A renewed session: the front end puts the new token in its cookie. */
export interface RenewedSession {
  token: string;
  session: SessionView;
}

export function loginSessionOf(row: SessionView, state: SessionState = row.state): LoginSession {
  return { id: row.id, tokenHash: row.tokenHash, state };
}
