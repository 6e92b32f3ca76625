import { beginPasskeyFirstLogin, isKosmoError, KosmoError, loginSessionOf, passkeyFirstLogin } from '../../core/index.js';
import { formFailure, renderPage } from '../page.js';
import { ensureSession } from '../session-actions.js';
import { followLogin } from '../login-flow.js';
import { loginClient } from '../login-client.js';
import type { PortalRouter } from '../router.js';
import type { PortalContext, PortalDeps } from '../types.js';
import { keepChallenge, postedCeremonyResponse, relyingPartyFor, sendCeremonyOptions, sendCeremonyUnavailable, takeChallenge } from './second-factor-webauthn.js';

export const PASSKEY_FIRST_PATHS = { options: '/login/passkey/options', answer: '/login/passkey' } as const;

/** Whether the login page starts passkey autofill: the society's `passkeyFirst`, and a relying party here. */
export function passkeyFirstAvailable(ctx: PortalContext, deps: PortalDeps): boolean {
  return ctx.state.society.settings.passkeyFirst !== false && relyingPartyFor(ctx, deps) !== null;
}

/**
 * Passkey autofill on ログイン (issue 13): the page's script asks for options (the challenge stays
 * in the server-side session, single use), runs conditional mediation from the user-ID field
 * (`autocomplete="username webauthn"`) and posts the chosen passkey's answer here; the core signs
 * the member in with it alone. Failures show the login page with the passkey message; the
 * ID + password form is untouched.
 */
export function passkeyFirstRoutes(router: PortalRouter, deps: PortalDeps): void {
  router.post(PASSKEY_FIRST_PATHS.options, async (ctx) => {
    const rp = relyingPartyFor(ctx, deps);
    if (!rp || ctx.state.member) return sendCeremonyUnavailable(ctx);
    await ensureSession(ctx, deps);
    try {
      const { options, challenge } = await beginPasskeyFirstLogin(deps.core, ctx.state.society.id, rp);
      await keepChallenge(ctx, deps, 'authentication', challenge);
      sendCeremonyOptions(ctx, options);
    } catch (err) {
      if (isKosmoError(err, 'NOT_FOUND')) return sendCeremonyUnavailable(ctx);
      throw err;
    }
  });

  router.post(PASSKEY_FIRST_PATHS.answer, async (ctx) => {
    const rp = relyingPartyFor(ctx, deps);
    await ensureSession(ctx, deps);
    const session = ctx.state.session!;
    try {
      if (!rp) throw new KosmoError('PASSKEY_FAILED', { reason: 'no_relying_party' });
      const challenge = await takeChallenge(ctx, deps, 'authentication');
      const advance = await passkeyFirstLogin(deps.core, ctx.state.society.id, loginSessionOf(session.row, session.state), rp, postedCeremonyResponse(ctx), challenge, loginClient(ctx), {
        rememberMe: ctx.state.body.remember === '1',
      });
      followLogin(ctx, deps, advance);
    } catch (err) {
      // A society with passkeyFirst off answers as if the path did not exist.
      if (isKosmoError(err, 'NOT_FOUND')) throw err;
      const failure = formFailure(err);
      renderPage(ctx, deps, 'login.njk', { pageTitle: 'ログイン', userId: '', errors: failure.messages, passkeyFirst: passkeyFirstAvailable(ctx, deps) }, failure.status);
    }
  });
}
