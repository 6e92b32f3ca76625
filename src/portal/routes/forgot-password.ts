import { requestPasswordReset } from '../../core/index.js';
import { renderPage, seeOther } from '../page.js';
import { ensureSession, setFlash } from '../session-actions.js';
import type { PortalRouter } from '../router.js';
import type { PortalDeps } from '../types.js';
import { answerFloor, recoveryFailure, trustedBaseUrl } from './forgot-password-shared.js';

/** Shown on the login page after the form, whatever was typed (manual 3-3 ④: check the mailbox). */
export const PASSWORD_MAIL_SENT =
  'パスワード再設定のご案内をメールでお送りしました。受信ボックスをご確認ください。メール本文の「パスワードをリセット」リンクの有効時間は5分です。メールが届かない場合は、迷惑メールフォルダやドメイン受信設定をご確認ください。';

/**
 * パスワードを忘れた方はこちら (SCREENS.md §2.10, manual 3-3 ③④). The answer — a redirect to the
 * login page with the same message — does not depend on whether the user ID exists, has an
 * address or was rate limited (per account, silently); only the per-client limit and an empty
 * field say something, and neither is about an account.
 */
export function forgotPasswordRoutes(router: PortalRouter, deps: PortalDeps): void {
  const page = { pageTitle: 'パスワードを忘れた方はこちら' };
  router.get('/password/forgot', async (ctx) => {
    await ensureSession(ctx, deps);
    renderPage(ctx, deps, 'forgot-password.njk', { ...page, userId: '' });
  });

  router.post('/password/forgot', async (ctx) => {
    const floor = answerFloor();
    const typed = ctx.state.body.userId ?? '';
    const baseUrl = trustedBaseUrl(ctx, deps);
    if (!baseUrl) deps.log.error({ msg: 'reset link not mailed: no trusted public URL (set --public-url or the society publicUrl)', requestId: ctx.state.requestId });
    try {
      await requestPasswordReset(deps.core, ctx.state.society.id, { userId: typed, ip: ctx.state.ip, baseUrl });
    } catch (err) {
      const failure = recoveryFailure(err);
      await floor;
      return renderPage(ctx, deps, 'forgot-password.njk', { ...page, userId: typed.slice(0, 128), errors: failure.messages }, failure.status);
    }
    await floor;
    setFlash(ctx, PASSWORD_MAIL_SENT, 'info');
    seeOther(ctx, '/login');
  });
}
