import type { CoreContext } from '../context.js';
import { KosmoError } from '../errors.js';
import { authenticatePassword } from '../auth/authenticate-password.js';
import { nextLoginStep, type LoginProgress } from '../auth/login-step.js';
import { rotateSessionInStore } from '../sessions/rotate-session-in-store.js';
import type { StoreQueries } from '../db/store/store.js';
import type { LoginSession, RenewedSession } from './login-session.js';
import type { LoginAdvance } from './advance-login.js';

/**
 * ログイン (§2.2): the password step (a guarded attempt: authenticate-password.ts), then a new
 * session token for the member (ASVS 7.2.4: no session fixation) and the next step. The rotation
 * commits in the same transaction as the attempt's audit event and counter.
 */
export async function beginLogin(
  core: CoreContext,
  societyId: number,
  session: LoginSession,
  input: { userId: unknown; password: unknown; rememberMe: boolean; ip: string | null; device?: string | null },
): Promise<LoginAdvance & { memberId: number }> {
  const progress: LoginProgress = {};
  const { member, value: renewed } = await authenticatePassword(core, societyId, { userId: input.userId, password: input.password, ip: input.ip, device: input.device }, (tx, who) =>
    renewForMember(core, tx, session, who.id, progress, input.rememberMe),
  );
  // The password was right, but another request rotated this session meanwhile.
  if (!renewed) throw new KosmoError('SESSION_EXPIRED');
  return { memberId: member.id, step: await stepOrEnd(core, societyId, member.id, progress), renewed };
}

/**
 * The session now belongs to the member, with what it has proven so far (`recovery` after a
 * reset link, §2.10): a new token, and the first step.
 */
export async function startLoginSession(
  core: CoreContext,
  societyId: number,
  memberId: number,
  session: LoginSession,
  opts: { rememberMe?: boolean; progress?: LoginProgress } = {},
): Promise<LoginAdvance & { memberId: number }> {
  const progress = opts.progress ?? {};
  const renewed = await renewForMember(core, core.db.store, session, memberId, progress, opts.rememberMe === true);
  if (!renewed) throw new KosmoError('SESSION_EXPIRED');
  return { memberId, step: await stepOrEnd(core, societyId, memberId, progress), renewed };
}

/** The rotation to the member's login session; null when the token was rotated meanwhile. */
async function renewForMember(core: CoreContext, store: StoreQueries, session: LoginSession, memberId: number, progress: LoginProgress, rememberMe: boolean): Promise<RenewedSession | null> {
  try {
    return await rotateSessionInStore(core, store, session.id, {
      expectTokenHash: session.tokenHash,
      memberId,
      state: { stage: 'login', progress, ...(rememberMe ? { rememberMe: true } : {}) },
      authenticated: true,
    });
  } catch (err) {
    // Not an SQL error: the compare-and-set matched nothing, and the transaction may go on.
    if (err instanceof KosmoError && err.code === 'SESSION_EXPIRED') return null;
    throw err;
  }
}

async function stepOrEnd(core: CoreContext, societyId: number, memberId: number, progress: LoginProgress) {
  const step = await nextLoginStep(core.db.store, societyId, memberId, progress);
  if (!step) throw new KosmoError('SESSION_EXPIRED');
  return step;
}
