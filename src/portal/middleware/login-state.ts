import { Member } from '../../core/db/entities/index.js';
import { nextLoginStep } from '../../core/auth/login-step.js';
import { canContinueLogin } from '../../core/auth/authenticate-password.js';
import { bounceToLogin, endSession } from '../session-actions.js';
import { completeLoginNow } from '../login-flow.js';
import type { PortalDeps, PortalMiddleware } from '../types.js';

/**
 * Works out where a member's session stands, once per request, from the core's `nextLoginStep`
 * (the single place that decides the next page). Routes only compare against `ctx.state.step`, so
 * no step can be skipped by typing a URL.
 * A login still in its steps is ended as soon as the account is locked, throttled or disabled.
 */
export function loginState(deps: PortalDeps): PortalMiddleware {
  return async (ctx, next) => {
    const session = ctx.state.session;
    const memberRef = session?.row.member;
    if (!session || !memberRef) return next();
    const society = ctx.state.society;
    const em = deps.core.db.em();
    const member = await em.findOne(Member, { id: memberRef.id, society: society.id });
    if (!member || member.status === 'disabled') {
      await endSession(ctx, deps, null);
      return next();
    }
    ctx.state.member = member;
    if (session.state.stage === 'authenticated') {
      ctx.state.step = 'done';
      return next();
    }
    if (!(await canContinueLogin(deps.core, member.id))) return bounceToLogin(ctx, deps, 'INVALID_CREDENTIALS');
    const progress = session.state.progress ?? {};
    const step = await nextLoginStep(em, society.id, member, progress);
    ctx.state.step = step;
    // Normally the POST of the last step completes the login (continueLogin); this covers a session
    // whose steps were finished by something else (e.g. staff actions between two requests).
    if (step === 'done') await completeLoginNow(ctx, deps, member.id);
    await next();
  };
}
