import type { LoginStep } from '../../core/index.js';
import { seeOther } from '../page.js';
import { bounceToLogin } from '../session-actions.js';
import { STEP_PATHS } from '../steps.js';
import type { PortalDeps, PortalMiddleware } from '../types.js';

/** Not logged in: to the login page, saying so when the session had just timed out. */
async function toLogin(ctx: Parameters<PortalMiddleware>[0], deps: PortalDeps): Promise<void> {
  if (ctx.state.sessionExpired) return bounceToLogin(ctx, deps, 'SESSION_EXPIRED');
  seeOther(ctx, '/login');
}

/**
 * Only the page of the member's current step answers (GET and POST alike); any other step's URL
 * redirects there without doing anything (ASVS 2.x business-logic: steps in order, none skipped).
 */
export function requireStep(deps: PortalDeps, step: LoginStep): PortalMiddleware {
  return async (ctx, next) => {
    if (!ctx.state.member || !ctx.state.step) return toLogin(ctx, deps);
    if (ctx.state.step !== step) return seeOther(ctx, STEP_PATHS[ctx.state.step]);
    await next();
  };
}

/** Member pages: only for a session that completed every login step. */
export function requireAuthenticated(deps: PortalDeps): PortalMiddleware {
  return requireStep(deps, 'done');
}

/** Pages for any session bound to a member, even mid-login (the logout confirmation). */
export function requireMember(deps: PortalDeps): PortalMiddleware {
  return async (ctx, next) => {
    if (!ctx.state.member) return toLogin(ctx, deps);
    await next();
  };
}
