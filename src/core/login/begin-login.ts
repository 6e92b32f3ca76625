import type { CoreContext } from '../context.js';
import { Member } from '../db/entities/index.js';
import { authenticatePassword } from '../auth/authenticate-password.js';
import { nextLoginStep, type LoginProgress } from '../auth/login-step.js';
import { rotateSession } from '../sessions/rotate-session.js';
import type { LoginSession } from './login-session.js';
import type { LoginAdvance } from './advance-login.js';

/**
 * ログイン (§2.2): the password step (a guarded attempt: authenticate-password.ts), then a new
 * session token for the member (ASVS 7.2.4: no session fixation) and the next step.
 */
export async function beginLogin(
  core: CoreContext,
  societyId: number,
  session: LoginSession,
  input: { userId: unknown; password: unknown; rememberMe: boolean; ip: string | null; device?: string | null },
): Promise<LoginAdvance & { memberId: number }> {
  const member = await authenticatePassword(core, societyId, { userId: input.userId, password: input.password, ip: input.ip, device: input.device });
  return startLoginSession(core, societyId, member.id, session, { rememberMe: input.rememberMe });
}

/**
 * The session now belongs to the member, with what it has proven so far (nothing after the
 * password; `recovery` after a reset link, §2.10): a new token, and the first step.
 */
export async function startLoginSession(
  core: CoreContext,
  societyId: number,
  memberId: number,
  session: LoginSession,
  opts: { rememberMe?: boolean; progress?: LoginProgress } = {},
): Promise<LoginAdvance & { memberId: number }> {
  const progress = opts.progress ?? {};
  const renewed = await rotateSession(core, session.id, {
    expectTokenHash: session.tokenHash,
    memberId,
    state: { stage: 'login', progress, ...(opts.rememberMe ? { rememberMe: true } : {}) },
    authenticated: true,
  });
  const em = core.db.em();
  const member = await em.findOneOrFail(Member, { id: memberId, society: societyId });
  return { memberId, step: await nextLoginStep(em, societyId, member, progress), renewed };
}
