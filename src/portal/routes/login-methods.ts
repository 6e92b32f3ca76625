import { listLoginMethods, dateTimeJapan } from '../../core/index.js';
import { actingMember } from '../acting-member.js';
import { requireAuthenticated } from '../middleware/guards.js';
import { renderPage } from '../page.js';
import type { PortalRouter } from '../router.js';
import type { PortalDeps } from '../types.js';
import { loginMethodsPasswordRoutes } from './login-methods-password.js';
import { loginMethodsDeleteRoutes } from './login-methods-delete.js';
import { loginMethodsAddRoutes } from './login-methods-add.js';

/**
 * ログイン方法変更 (SCREENS.md §2.8, manual 3-2, 3-6, 3-7): the password with its creation date and
 * `更新`; under `二要素認証` the authenticator-app devices and the passkeys, each with `削除`, and
 * `設定` to add another of a kind the society allows. Viewing needs no re-authentication; every
 * change does (§2.9, requireRecentAuth).
 */
export function loginMethodsRoutes(router: PortalRouter, deps: PortalDeps): void {
  router.get('/login-methods', requireAuthenticated(deps), async (ctx) => {
    const methods = await listLoginMethods(deps.core, actingMember(ctx));
    const item = (f: { id: number; name: string; createdAt: Date; lastUsedAt: Date | null }) => ({
      id: f.id,
      name: f.name,
      createdAt: dateTimeJapan(f.createdAt),
      lastUsedAt: dateTimeJapan(f.lastUsedAt),
    });
    const allowed = ctx.state.society.settings.allowedFactors;
    renderPage(ctx, deps, 'login-methods.njk', {
      pageTitle: 'ログイン方法変更',
      passwordCreatedAt: dateTimeJapan(methods.passwordCreatedAt),
      otp: methods.otp.map(item),
      passkeys: methods.passkeys.map(item),
      canAddOtp: allowed.includes('otp'),
      canAddPasskey: allowed.includes('passkey'),
    });
  });
  loginMethodsPasswordRoutes(router, deps);
  loginMethodsAddRoutes(router, deps);
  loginMethodsDeleteRoutes(router, deps);
}
