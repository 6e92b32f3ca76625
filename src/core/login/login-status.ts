import type { CoreContext } from '../context.js';
import { Member } from '../db/entities/index.js';
import { memberView, type MemberView } from '../accounts/member-view.js';
import { memberViewById } from '../accounts/member-view-by-id.js';
import { nextLoginStep, type LoginStep } from '../auth/login-step.js';
import { canContinueLogin } from '../auth/authenticate-password.js';
import type { SessionState } from '../sessions/session-state.js';
import type { LoginClient } from '../devices/login-client.js';

export type LoginStatus =
  /** The member is gone or disabled: the session must end. */
  | { state: 'ended' }
  /** A login in its steps while the account is locked or in its back-off: it ends (generic message). */
  | { state: 'blocked'; member: MemberView }
  | { state: 'at'; member: MemberView; step: LoginStep };

/**
 * Where a member's session stands, once per request: the single place that decides the page
 * (`nextLoginStep`), so no step can be skipped by typing a URL. `step: 'done'` in a session still
 * in its steps means something else finished them (e.g. staff actions): the caller completes the
 * login with `advanceLogin`.
 */
export async function loginStatus(core: CoreContext, societyId: number, memberId: number, state: SessionState, client?: LoginClient): Promise<LoginStatus> {
  // A signed-in member's page view (the hot path): one prepared statement, no unit of work.
  if (state.stage === 'authenticated') {
    const view = await memberViewById(core.db.store, societyId, memberId);
    if (!view || view.status === 'disabled') return { state: 'ended' };
    return { state: 'at', member: view, step: 'done' };
  }
  const em = core.db.em();
  const member = await em.findOne(Member, { id: memberId, society: societyId });
  if (!member || member.status === 'disabled') return { state: 'ended' };
  const view = memberView(member);
  // `client`: a known device is not held back by the back-off others caused (smart lockout, issue 13).
  if (!(await canContinueLogin(core, member.id, client?.device))) return { state: 'blocked', member: view };
  return { state: 'at', member: view, step: await nextLoginStep(em, societyId, member, state.progress ?? {}) };
}
