import { loginSessionOf, startLoginSession, openResetLink, resetLinkUsable, RESET_LINK_MS, KosmoError } from '../../core/index.js';
import { formFailure, renderPage } from '../page.js';
import { endSession, ensureSession } from '../session-actions.js';
import { followLogin } from '../login-flow.js';
import type { PortalRouter } from '../router.js';
import type { PortalContext, PortalDeps } from '../types.js';

function invalidLink(ctx: PortalContext, deps: PortalDeps, err: unknown = new KosmoError('TOKEN_INVALID')): void {
  const failure = formFailure(err);
  renderPage(ctx, deps, 'reset-invalid.njk', { pageTitle: 'パスワードの再設定', message: failure.messages[0], minutes: RESET_LINK_MS / 60_000 }, failure.status);
}

/**
 * The `パスワードをリセット` link of the mail (SCREENS.md §2.10, DESIGN.md §4 reset link).
 *
 * GET /password/reset/<token> only shows a page with `続ける`: mail scanners and link previews
 * fetch links, so a GET must not use the link up. The page carries the token in its URL, so it is
 * served with `Referrer-Policy: no-referrer`, and its form posts the token in the body to
 * /password/reset (the URL of the POST holds no token; the request log redacts the GET's path).
 *
 * POST (CSRF-checked) opens the link — single use, 5 minutes, superseded by a newer request — and
 * starts a fresh session for the member with progress {recovery}: a new session token, any session
 * of another member in this browser ended. The core's nextLoginStep then asks for the second factor
 * the member still has (or, on the lost-device path, the birth date and a new factor), then a new
 * password, then terms if updated; the reset never skips a factor (DESIGN.md §4 reset vs MFA).
 */
export function resetLinkRoutes(router: PortalRouter, deps: PortalDeps): void {
  router.get('/password/reset/:token', async (ctx) => {
    ctx.set('Referrer-Policy', 'no-referrer');
    const token = ctx.params.token;
    if (!(await resetLinkUsable(deps.core, ctx.state.society.id, token))) return invalidLink(ctx, deps);
    await ensureSession(ctx, deps);
    renderPage(ctx, deps, 'reset-link.njk', { pageTitle: 'パスワードの再設定', token });
  });

  router.post('/password/reset', async (ctx) => {
    const societyId = ctx.state.society.id;
    let memberId: number;
    try {
      ({ memberId } = await openResetLink(deps.core, societyId, ctx.state.body.token, ctx.state.ip));
    } catch (err) {
      return invalidLink(ctx, deps, err);
    }
    // Whoever was signed in in this browser before is signed out: the link speaks for its member only.
    if (ctx.state.session?.row.member) await endSession(ctx, deps, null);
    await ensureSession(ctx, deps);
    const session = ctx.state.session!;
    followLogin(ctx, deps, await startLoginSession(deps.core, societyId, memberId, loginSessionOf(session.row, session.state), { progress: { recovery: true } }));
  });
}
