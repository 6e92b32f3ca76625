import { bounceToLogin } from '../session-actions.js';
import type { PortalRouter } from '../router.js';
import type { StepKit } from './step-kit.js';
import { factorSetupRoutes } from './second-factor-setup.js';
import { factorVerifyHandlers } from './second-factor-verify.js';
import { lostDeviceRoutes, lostDeviceLink } from './second-factor-lost-device.js';
import type { VerifyPlace } from './second-factor-place.js';
import { recoveryCodeLink, recoveryCodeLoginRoutes } from './recovery-code-login.js';

/** `/login/second-factor`: ワンタイムパスワードの入力 or 生体認証 after the password. */
function secondFactorLoginRoutes(router: PortalRouter, kit: StepKit): void {
  const { deps } = kit;
  const place: VerifyPlace = {
    purpose: 'login',
    paths: { page: '/login/second-factor', passkey: '/login/second-factor/passkey', passkeyOptions: '/login/second-factor/passkey/options' },
    extras: (ctx, kind) => ({ lostDevice: lostDeviceLink(ctx, kind), recoveryCodeHref: recoveryCodeLink(ctx) }),
    done: (ctx) => kit.secondFactorVerified(ctx),
    // The failure locked the account: the login ends with the generic message (DESIGN.md §4).
    locked: (ctx) => bounceToLogin(ctx, deps, 'ACCOUNT_LOCKED'),
  };
  const h = factorVerifyHandlers(deps, place);
  const guard = kit.requireStep('second_factor');
  router.get(place.paths.page, guard, (ctx) => h.show(ctx));
  router.post(place.paths.page, guard, (ctx) => h.otp(ctx));
  router.post(place.paths.passkeyOptions, guard, (ctx) => h.passkeyOptions(ctx));
  router.post(place.paths.passkey, guard, (ctx) => h.passkey(ctx));
  lostDeviceRoutes(router, kit);
  recoveryCodeLoginRoutes(router, kit);
}

/** The second-factor steps (SCREENS.md §2.3 step 6, §2.5, §2.6). */
export function secondFactorRoutes(router: PortalRouter, kit: StepKit): void {
  factorSetupRoutes(router, kit);
  secondFactorLoginRoutes(router, kit);
}
