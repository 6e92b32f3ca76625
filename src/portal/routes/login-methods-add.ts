import { KosmoError } from '../../core/index.js';
import { requireRecentAuth } from '../middleware/require-recent-auth.js';
import { seeOther } from '../page.js';
import { setFlash } from '../session-actions.js';
import type { PortalRouter } from '../router.js';
import type { PortalDeps, PortalMiddleware } from '../types.js';
import type { FactorKind, SetupPlace } from './second-factor-place.js';
import { otpSetupHandlers } from './second-factor-otp-setup.js';
import { passkeySetupHandlers } from './second-factor-passkey-setup.js';

/** Only kinds the society allows can be added. */
function allowedHere(kind: FactorKind): PortalMiddleware {
  return async (ctx, next) => {
    if (!ctx.state.society.settings.allowedFactors.includes(kind)) throw new KosmoError('NOT_FOUND');
    await next();
  };
}

/**
 * `設定` under 二要素認証 (§2.8, manual 3-6): another authenticator-app device (a second phone,
 * FAQ Q11) or another passkey, with the same set-up pages as the login, after a re-authentication
 * when the last one is older than 5 minutes; back to ログイン方法変更 afterwards.
 */
export function loginMethodsAddRoutes(router: PortalRouter, deps: PortalDeps): void {
  const place: SetupPlace = {
    inLogin: false,
    paths: { otp: '/login-methods/otp/new', passkey: '/login-methods/passkey/new', passkeyOptions: '/login-methods/passkey/new/options', passkeyLabel: '/login-methods/passkey/new/label' },
    backHref: '/login-methods',
    switchTo: () => null,
    replaceLost: () => false,
    async done(ctx, added) {
      setFlash(ctx, `「${added.name}」を登録しました。`);
      seeOther(ctx, '/login-methods');
    },
  };
  const otp = otpSetupHandlers(deps, place);
  const passkey = passkeySetupHandlers(deps, place);
  const fresh = requireRecentAuth(deps);
  const otpOk = allowedHere('otp');
  const passkeyOk = allowedHere('passkey');

  router.get(place.paths.otp, fresh, otpOk, (ctx) => otp.show(ctx));
  router.post(place.paths.otp, fresh, otpOk, (ctx) => otp.confirm(ctx));
  router.get(place.paths.passkey, fresh, passkeyOk, async (ctx) => passkey.show(ctx));
  // The options are fetched by the page script: after a re-authentication, back to the page itself.
  router.post(place.paths.passkeyOptions, requireRecentAuth(deps, { returnTo: place.paths.passkey }), passkeyOk, (ctx) => passkey.options(ctx));
  router.post(place.paths.passkey, fresh, passkeyOk, (ctx) => passkey.verify(ctx));
  router.get(place.paths.passkeyLabel, fresh, passkeyOk, async (ctx) => passkey.showLabel(ctx));
  router.post(place.paths.passkeyLabel, fresh, passkeyOk, (ctx) => passkey.saveLabel(ctx));
}
