import { advanceLogin, loginSessionOf, type LoginAdvance, type LoginProof } from '../core/index.js';
import { seeOther } from './page.js';
import { adoptRenewedSession } from './session-actions.js';
import { STEP_PATHS } from './steps.js';
import { loginClient, setDeviceCookie } from './login-client.js';
import { actingMember } from './acting-member.js';
import type { PortalContext, PortalDeps } from './types.js';

/**
 * After a login step succeeded: the core records the proof it made (if any), completes the login
 * when no step is left, renews the session token; the portal takes the new cookie and goes to the
 * page of the step the core names.
 */
export async function continueLogin(ctx: PortalContext, deps: PortalDeps, proof?: LoginProof): Promise<void> {
  const session = ctx.state.session!;
  const advance = await advanceLogin(deps.core, actingMember(ctx), { session: loginSessionOf(session.row, session.state), client: loginClient(ctx), proof });
  followLogin(ctx, deps, advance);
}

/** Takes a login use case's answer: the renewed session (cookie) and the next page. */
export function followLogin(ctx: PortalContext, deps: PortalDeps, advance: LoginAdvance): void {
  if (advance.renewed) adoptRenewedSession(ctx, deps, advance.renewed);
  setDeviceCookie(ctx, advance.deviceToken);
  if (advance.step === 'done') ctx.state.step = 'done';
  seeOther(ctx, STEP_PATHS[advance.step]);
}
