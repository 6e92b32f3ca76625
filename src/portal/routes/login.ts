import { beginLogin, loginSessionOf } from '../../core/index.js';
import { formFailure, renderPage, seeOther } from '../page.js';
import { ensureSession } from '../session-actions.js';
import { followLogin } from '../login-flow.js';
import { STEP_PATHS } from '../steps.js';
import { loginClient } from '../login-client.js';
import { passkeyFirstAvailable } from './passkey-first.js';
import type { PortalRouter } from '../router.js';
import type { PortalDeps } from '../types.js';

/**
 * ログイン (SCREENS.md §2.2): one core use case (`beginLogin`). Unknown ID, wrong password,
 * locked and disabled get the same page from INVALID_CREDENTIALS; the back-off says to wait, for
 * known and unknown IDs alike (ASVS 6.3.8). The typed user ID is echoed in every case alike.
 * Success renews the session token.
 */
export function loginRoutes(router: PortalRouter, deps: PortalDeps): void {
  router.get('/login', async (ctx) => {
    if (ctx.state.member && ctx.state.step) return seeOther(ctx, STEP_PATHS[ctx.state.step]);
    await ensureSession(ctx, deps);
    renderPage(ctx, deps, 'login.njk', { pageTitle: 'ログイン', userId: '', passkeyFirst: passkeyFirstAvailable(ctx, deps) });
  });

  router.post('/login', async (ctx) => {
    const body = ctx.state.body;
    await ensureSession(ctx, deps);
    const session = ctx.state.session!;
    try {
      const advance = await beginLogin(deps.core, ctx.state.society.id, loginSessionOf(session.row, session.state), {
        userId: body.userId,
        password: body.password,
        rememberMe: body.remember === '1',
        ip: ctx.state.ip,
        device: loginClient(ctx).device,
      });
      followLogin(ctx, deps, advance);
    } catch (err) {
      const failure = formFailure(err);
      return renderPage(ctx, deps, 'login.njk', { pageTitle: 'ログイン', userId: body.userId ?? '', errors: failure.messages, passkeyFirst: passkeyFirstAvailable(ctx, deps) }, failure.status);
    }
  });
}
