import type { LoginStep } from '../../core/index.js';
import { requireStep } from '../middleware/guards.js';
import { renderPage } from '../page.js';
import { continueLogin } from '../login-flow.js';
import { bounceToLogin } from '../session-actions.js';
import type { PortalRouter } from '../router.js';
import type { PortalContext, PortalDeps, PortalMiddleware } from '../types.js';
import { factorSetupRoutes } from './second-factor-setup.js';
import { factorVerifyHandlers } from './second-factor-verify.js';
import { lostDeviceRoutes, lostDeviceLink } from './second-factor-lost-device.js';
import type { VerifyPlace } from './second-factor-place.js';

/**
 * The second-factor steps of the login (SCREENS.md §2.3 step 6, §2.5, §2.6):
 * `factor_setup` (/setup/factor) and `second_factor` (/login/second-factor). Routes:
 * - guard each page with `kit.requireStep('factor_setup' | 'second_factor')`;
 * - on success, call `kit.secondFactorVerified(ctx)` (renews the session token, records the proof
 *   in the session, sends the member on to the next step — terms if updated, else the top page,
 *   where the login completes). Setting up the first factor goes through the core functions that
 *   also call `finishOnboardingIfDone` in their transaction.
 */
export interface StepKit {
  deps: PortalDeps;
  requireStep(step: LoginStep): PortalMiddleware;
  render(ctx: PortalContext, template: string, vars?: Record<string, unknown>, status?: number): void;
  secondFactorVerified(ctx: PortalContext): Promise<void>;
}

export type SecondFactorRoutes = (router: PortalRouter, kit: StepKit) => void;

export function stepKit(deps: PortalDeps): StepKit {
  return {
    deps,
    requireStep: (step) => requireStep(deps, step),
    render: (ctx, template, vars = {}, status = 200) => renderPage(ctx, deps, template, vars, status),
    async secondFactorVerified(ctx) {
      await continueLogin(ctx, deps, 'secondFactorVerified');
    },
  };
}

/** `/login/second-factor`: ワンタイムパスワードの入力 or 生体認証 after the password. */
function secondFactorLoginRoutes(router: PortalRouter, kit: StepKit): void {
  const { deps } = kit;
  const place: VerifyPlace = {
    purpose: 'login',
    paths: { page: '/login/second-factor', passkey: '/login/second-factor/passkey', passkeyOptions: '/login/second-factor/passkey/options' },
    extras: (ctx, kind) => ({ lostDevice: lostDeviceLink(ctx, kind) }),
    done: (ctx) => kit.secondFactorVerified(ctx),
    // The failure locked the account: the login ends with the generic message (DESIGN.md §4).
    locked: (ctx) => bounceToLogin(ctx, deps, 'INVALID_CREDENTIALS'),
  };
  const h = factorVerifyHandlers(deps, place);
  const guard = kit.requireStep('second_factor');
  router.get(place.paths.page, guard, (ctx) => h.show(ctx));
  router.post(place.paths.page, guard, (ctx) => h.otp(ctx));
  router.post(place.paths.passkeyOptions, guard, (ctx) => h.passkeyOptions(ctx));
  router.post(place.paths.passkey, guard, (ctx) => h.passkey(ctx));
  lostDeviceRoutes(router, kit);
}

/** The second-factor steps (SCREENS.md §2.3 step 6, §2.5, §2.6). */
export const secondFactorRoutes: SecondFactorRoutes = (router, kit) => {
  factorSetupRoutes(router, kit);
  secondFactorLoginRoutes(router, kit);
};
