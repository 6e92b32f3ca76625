import { nextLoginStep, type LoginProgress } from '../core/auth/login-step.js';
import { loadMember } from '../core/accounts/find-member.js';
import { completeLogin } from '../core/auth/complete-login.js';
import { seeOther } from './page.js';
import { rotateTo } from './session-actions.js';
import { STEP_PATHS } from './steps.js';
import type { PortalContext, PortalDeps } from './types.js';

/**
 * Every step is done: the login completes — last login stamped and audited, session token renewed
 * with the remember-me limits if they were asked for. Runs in the POST that finished the last step.
 */
export async function completeLoginNow(ctx: PortalContext, deps: PortalDeps, memberId: number): Promise<void> {
  const state = ctx.state.session!.state;
  await completeLogin(deps.core, ctx.state.society.id, memberId, ctx.state.ip);
  await rotateTo(ctx, deps, {
    memberId,
    state: { stage: 'authenticated', progress: state.progress ?? {}, ...(state.flash ? { flash: state.flash, flashKind: state.flashKind } : {}) },
    persistent: state.rememberMe === true,
    authenticated: true,
  });
  ctx.state.step = 'done';
}

/** After a step succeeded: on to the page of whatever step the core says comes next. */
export async function continueLogin(ctx: PortalContext, deps: PortalDeps): Promise<void> {
  const em = deps.core.db.em();
  const member = await loadMember(em, ctx.state.society.id, ctx.state.member!.id);
  const step = await nextLoginStep(em, ctx.state.society.id, member, ctx.state.session?.state.progress ?? {});
  if (step === 'done') await completeLoginNow(ctx, deps, member.id);
  seeOther(ctx, STEP_PATHS[step]);
}

/**
 * Records a proof made during the login (birth date, second factor) and renews the session token,
 * since each proof raises what the session may do (ASVS 7.2.4).
 */
export async function recordProof(ctx: PortalContext, deps: PortalDeps, proof: keyof LoginProgress): Promise<void> {
  const state = ctx.state.session!.state;
  const progress: LoginProgress = { ...(state.progress ?? {}), [proof]: true };
  const { csrf: _old, ...rest } = state;
  await rotateTo(ctx, deps, { memberId: ctx.state.member!.id, state: { ...rest, stage: 'login', progress }, authenticated: true });
}
