import { changeEmail, destroyOtherSessions } from '../../core/index.js';
import { actingMember } from '../acting-member.js';
import { requireRecentAuth } from '../middleware/require-recent-auth.js';
import { formFailure, renderPage, seeOther } from '../page.js';
import { setFlash } from '../session-actions.js';
import type { PortalRouter } from '../router.js';
import type { PortalDeps } from '../types.js';

/** Our wording (the manual shows the profile page with the new address, no message). */
export const EMAIL_CHANGED = 'メールアドレスを変更しました。';

/**
 * プロフィール変更 → `Eメール変更` → メールアドレスの更新 (SCREENS.md §2.7, manual 3-5). Behind the
 * §2.9 re-authentication (`続行する際には再度認証してください。`, password then second factor) on GET
 * and POST. `メールアドレス*` prefilled with the current address, `全てのデバイスからサインアウトする`
 * (ticked by default), `実行`, `戻る`. The four errors of §2.3 step 5 come from the core (3 and 4
 * together); the core queues a notice to the old address with the new one masked.
 */
export function emailChangeRoutes(router: PortalRouter, deps: PortalDeps): void {
  const page = { pageTitle: 'メールアドレスの更新' };
  router.get('/profile/email', requireRecentAuth(deps), async (ctx) => {
    renderPage(ctx, deps, 'email-change.njk', { ...page, email: ctx.state.member!.email ?? '', signOutOthers: true });
  });

  router.post('/profile/email', requireRecentAuth(deps), async (ctx) => {
    const typed = ctx.state.body.email ?? '';
    const signOutOthers = ctx.state.body.signOutOthers === '1';
    try {
      await changeEmail(deps.core, actingMember(ctx), typed);
    } catch (err) {
      const failure = formFailure(err);
      return renderPage(ctx, deps, 'email-change.njk', { ...page, email: typed.slice(0, 300), signOutOthers, errors: failure.messages }, failure.status);
    }
    if (signOutOthers) await destroyOtherSessions(deps.core, actingMember(ctx), { keepSessionId: ctx.state.session!.row.id });
    setFlash(ctx, EMAIL_CHANGED);
    seeOther(ctx, '/profile');
  });
}
