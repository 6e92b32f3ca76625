import type { LoginStep } from '../../core/auth/login-step.js';
import { requireStep } from '../middleware/guards.js';
import { renderPage } from '../page.js';
import { continueLogin, recordProof } from '../login-flow.js';
import type { PortalRouter } from '../router.js';
import type { PortalContext, PortalDeps, PortalMiddleware } from '../types.js';

/**
 * ===== HOOK FOR THE SECOND-FACTOR ISSUE (SCREENS.md §2.3 step 6, §2.5, §2.6) =====
 *
 * The login steps `factor_setup` (/setup/factor) and `second_factor` (/login/second-factor) are
 * built by the next issue. It plugs in by passing its own `SecondFactorRoutes` to
 * `createPortalApp(core, { secondFactor })` (or by replacing `secondFactorNotYetAvailable` below).
 * Its routes must:
 * - guard each page with `kit.requireStep('factor_setup' | 'second_factor')`;
 * - on success, call `kit.secondFactorVerified(ctx)` (renews the session token, records the proof
 *   in the session, sends the member on to the next step — terms if updated, else the top page,
 *   where the login completes). Setting up the first factor must go through the core function
 *   that also calls `finishOnboardingIfDone` in its transaction.
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
      await recordProof(ctx, deps, 'secondFactorVerified');
      await continueLogin(ctx, deps);
    },
  };
}

/**
 * Until the next issue: both steps answer that they are not available yet (503) and never let the
 * member through — the factor is never skipped.
 */
export const secondFactorNotYetAvailable: SecondFactorRoutes = (router, kit) => {
  const unavailable = (title: string) => async (ctx: PortalContext) => kit.render(ctx, 'step-unavailable.njk', { pageTitle: title }, 503);
  for (const method of ['get', 'post'] as const) {
    router[method]('/setup/factor', kit.requireStep('factor_setup'), unavailable('二要素認証の設定'));
    router[method]('/login/second-factor', kit.requireStep('second_factor'), unavailable('二要素認証'));
  }
};
