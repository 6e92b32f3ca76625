import type { CoreContext } from '../context.js';
import type { ActingMember } from '../actor.js';
import type { MemberView } from '../accounts/member-view.js';
import { memberViewById } from '../accounts/member-view-by-id.js';
import { decideLoginStep, type LoginStep } from '../auth/login-step.js';
import { loginFacts } from '../auth/login-facts.js';
import { throttleAllowsLogin } from '../auth/authenticate-password.js';
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
 * login with `advanceLogin`. `input.loaded`: the member as `loadSession` returned it with the
 * session; `input.client`: the browser (smart lockout).
 */
export async function loginStatus(core: CoreContext, acting: ActingMember, input: { state: SessionState; client?: Omit<LoginClient, 'ip'>; loaded?: MemberView | null }): Promise<LoginStatus> {
  const { societyId, memberId } = acting;
  const { state } = input;
  // A signed-in member's page view (the hot path): the member `loadSession` read with the session
  // in the same statement, or one prepared statement; no unit of work.
  if (state.stage === 'authenticated') {
    const loaded = input.loaded;
    const view = loaded !== undefined && loaded?.id === memberId ? loaded : await memberViewById(core.db.store, societyId, memberId);
    if (!view || view.status === 'disabled') return { state: 'ended' };
    return { state: 'at', member: view, step: 'done' };
  }
  // In the login's steps: one statement for everything the step depends on, one for the counter.
  const facts = await loginFacts(core.db.store, societyId, memberId);
  if (!facts || facts.member.status === 'disabled') return { state: 'ended' };
  // `client`: a known device is not held back by the back-off others caused (smart lockout, issue 13).
  if (!(await throttleAllowsLogin(core, societyId, memberId, input.client?.device))) return { state: 'blocked', member: facts.member };
  return { state: 'at', member: facts.member, step: decideLoginStep(facts, state.progress ?? {}) };
}
