import { authenticatePassword } from '../../core/auth/authenticate-password.js';
import { nextLoginStep } from '../../core/auth/login-step.js';
import { formFailure, renderPage, seeOther } from '../page.js';
import { ensureSession, rotateTo } from '../session-actions.js';
import { STEP_PATHS } from '../steps.js';
import type { PortalRouter } from '../router.js';
import type { PortalDeps } from '../types.js';

/**
 * ログイン (SCREENS.md §2.2). Every failure — unknown ID, wrong password, throttled, locked,
 * disabled — gets the same page and status from the core's single INVALID_CREDENTIALS (ASVS 6.3.8);
 * the typed user ID is echoed in every case alike. Success renews the session token.
 */
export function loginRoutes(router: PortalRouter, deps: PortalDeps): void {
  router.get('/login', async (ctx) => {
    if (ctx.state.member && ctx.state.step) return seeOther(ctx, STEP_PATHS[ctx.state.step]);
    await ensureSession(ctx, deps);
    renderPage(ctx, deps, 'login.njk', { pageTitle: 'ログイン', userId: '' });
  });

  router.post('/login', async (ctx) => {
    const body = ctx.state.body;
    let member;
    try {
      member = await authenticatePassword(deps.core, ctx.state.society.id, { userId: body.userId, password: body.password, ip: ctx.state.ip });
    } catch (err) {
      const failure = formFailure(err);
      return renderPage(ctx, deps, 'login.njk', { pageTitle: 'ログイン', userId: body.userId ?? '', errors: failure.messages }, failure.status);
    }
    await rotateTo(ctx, deps, { memberId: member.id, state: { stage: 'login', progress: {}, rememberMe: body.remember === '1' }, authenticated: true });
    ctx.state.member = member;
    seeOther(ctx, STEP_PATHS[await nextLoginStep(deps.core.db.em(), ctx.state.society.id, member, {})]);
  });
}
