import { Member } from '../../core/db/entities/index.js';
import { nextLoginStep } from '../../core/auth/login-step.js';
import { canContinueLogin } from '../../core/auth/authenticate-password.js';
import { completeLogin } from '../../core/auth/complete-login.js';
import { bounceToLogin, endSession, rotateTo } from '../session-actions.js';
import type { PortalDeps, PortalMiddleware } from '../types.js';

/**
 * Works out where a member's session stands, once per request, from the core's `nextLoginStep`
 * (the single place that decides the next page). Routes only compare against `ctx.state.step`, so
 * no step can be skipped by typing a URL. When the steps are all done the login completes here:
 * last login stamped, session token renewed, remember-me limits applied.
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
    if (step === 'done') {
      await completeLogin(deps.core, society.id, member.id, ctx.state.ip);
      await rotateTo(ctx, deps, {
        memberId: member.id,
        state: { stage: 'authenticated', progress, ...(session.state.flash ? { flash: session.state.flash, flashKind: session.state.flashKind } : {}) },
        persistent: session.state.rememberMe === true,
        authenticated: true,
      });
    }
    ctx.state.step = step;
    await next();
  };
}
