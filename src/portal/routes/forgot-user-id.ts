import { requestUserIdReminder } from '../../core/index.js';
import { renderPage, seeOther } from '../page.js';
import { ensureSession, setFlash } from '../session-actions.js';
import type { PortalRouter } from '../router.js';
import type { PortalDeps } from '../types.js';
import { answerFloor, recoveryFailure } from './forgot-password-shared.js';
import { maskEmail } from '../mask-email.js';

/** Shown on the login page after the form, whatever matched (manual 3-4 ④). */
export const USER_ID_MAIL_SENT =
  'ユーザIDのご案内を、入力されたメールアドレスにお送りしました。受信ボックスをご確認ください。メールが届かない場合は、生年月日とメールアドレスをご確認のうえ、もう一度お試しください。';

/**
 * The confirmation with the address it went to, masked (manual 3-4 ④ repeats the address; issue
 * 12). Made from the typed address alone: the same for a registered and an unknown address.
 */
export function userIdMailSent(typedEmail: string): string {
  return `${USER_ID_MAIL_SENT}\n入力されたメールアドレス:${maskEmail(typedEmail)}`;
}

/**
 * ユーザIDを忘れた方はこちら (SCREENS.md §2.11, manual 3-4). The same answer whether or not the
 * birth date and address match a member; the mail with the user ID goes only on a match. A
 * malformed date or address is reported (it says nothing about any account).
 */
export function forgotUserIdRoutes(router: PortalRouter, deps: PortalDeps): void {
  const page = { pageTitle: 'ユーザIDを忘れた方はこちら' };
  router.get('/user-id/forgot', async (ctx) => {
    await ensureSession(ctx, deps);
    renderPage(ctx, deps, 'forgot-user-id.njk', { ...page, birthDate: '', email: '' });
  });

  router.post('/user-id/forgot', async (ctx) => {
    const floor = answerFloor();
    const birthDate = ctx.state.body.birthDate ?? '';
    const email = ctx.state.body.email ?? '';
    try {
      await requestUserIdReminder(deps.core, ctx.state.society.id, { birthDate, email, ip: ctx.state.ip });
    } catch (err) {
      const failure = recoveryFailure(err);
      await floor;
      return renderPage(
        ctx,
        deps,
        'forgot-user-id.njk',
        { ...page, birthDate: birthDate.slice(0, 32), email: email.slice(0, 300), errors: failure.messages, invalid: failure.invalid },
        failure.status,
      );
    }
    await floor;
    setFlash(ctx, userIdMailSent(email), 'info');
    seeOther(ctx, '/login');
  });
}
