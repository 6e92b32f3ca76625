import type { LoginStep } from '../../core/index.js';
import { requireStep } from '../middleware/guards.js';
import { renderPage } from '../page.js';
import { continueLogin } from '../login-flow.js';
import type { PortalContext, PortalDeps, PortalMiddleware } from '../types.js';

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
