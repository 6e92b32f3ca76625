import { changePassword } from '../../core/index.js';
import { actingMember } from '../acting-member.js';
import { requireRecentAuth } from '../middleware/require-recent-auth.js';
import { formFailure, renderPage, seeOther } from '../page.js';
import { setFlash } from '../session-actions.js';
import type { PortalRouter } from '../router.js';
import type { PortalContext, PortalDeps } from '../types.js';
import { policyView } from './password-policy-view.js';
import { signOutOtherDevices } from './second-factor-place.js';

const PATH = '/login-methods/password';

/**
 * ログイン方法変更 → `更新` → パスワードの更新 (§2.8, manual 3-2): `パスワード`, `パスワード確認用`,
 * `全てのデバイスからサインアウトする`, `実行`; the policy of the first login, and not the current
 * password. Back on ログイン方法変更 the creation date has changed. Passwords are never echoed.
 */
export function loginMethodsPasswordRoutes(router: PortalRouter, deps: PortalDeps): void {
  const view = (ctx: PortalContext, extra: { errors?: string[]; invalid?: Record<string, true>; logoutSessions?: boolean } = {}, status = 200) =>
    renderPage(
      ctx,
      deps,
      'login-methods-password.njk',
      { pageTitle: 'パスワードの更新', action: PATH, policy: policyView(ctx), logoutSessions: extra.logoutSessions ?? true, errors: extra.errors, invalid: extra.invalid },
      status,
    );

  router.get(PATH, requireRecentAuth(deps), async (ctx) => view(ctx));

  router.post(PATH, requireRecentAuth(deps), async (ctx) => {
    const body = ctx.state.body;
    try {
      await changePassword(deps.core, actingMember(ctx), { password: body.password, confirm: body.passwordConfirm });
    } catch (err) {
      const failure = formFailure(err);
      return view(ctx, { errors: failure.messages, invalid: failure.invalid, logoutSessions: body.logoutSessions === '1' }, failure.status);
    }
    await signOutOtherDevices(ctx, deps);
    setFlash(ctx, 'パスワードを更新しました。');
    seeOther(ctx, '/login-methods');
  });
}
