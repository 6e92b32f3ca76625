import { chooseUserIdAndMethod } from '../../core/index.js';
import { actingMember } from '../acting-member.js';
import { requireStep } from '../middleware/guards.js';
import { formFailure, renderPage } from '../page.js';
import { continueLogin } from '../login-flow.js';
import type { PortalContext, PortalDeps } from '../types.js';
import type { PortalRouter } from '../router.js';
import { relyingPartyFor } from './second-factor-webauthn.js';

function methods(ctx: PortalContext) {
  const allowed = ctx.state.society.settings.allowedFactors;
  return { passkey: allowed.includes('passkey'), otp: allowed.includes('otp') };
}

/**
 * ユーザIDの変更 at first login (SCREENS.md §2.3 step 3): the member's own user ID and the
 * second-factor method. `生体認証` starts disabled; a nonce'd script enables it only when
 * PublicKeyCredential.isUserVerifyingPlatformAuthenticatorAvailable() says the device has a
 * platform authenticator, and tells the server through the hidden `platform` field. Without
 * JavaScript the member can choose OTP only.
 */
export function chooseUserIdRoutes(router: PortalRouter, deps: PortalDeps): void {
  const page = { pageTitle: 'ユーザIDの変更' };
  // Whether a passkey can be made on this address at all (public URL / localhost): if not, 生体認証
  // stays disabled whatever the device can do, and OTP認証 is preselected (issue 12).
  const passkeyPossible = (ctx: PortalContext) => relyingPartyFor(ctx, deps) !== null;
  router.get('/login/user-id', requireStep(deps, 'user_id'), async (ctx) =>
    renderPage(ctx, deps, 'user-id.njk', { ...page, methods: methods(ctx), passkeyPossible: passkeyPossible(ctx), userId: '', method: '', platform: false }),
  );

  router.post('/login/user-id', requireStep(deps, 'user_id'), async (ctx) => {
    const body = ctx.state.body;
    const platform = body.platform === '1';
    try {
      await chooseUserIdAndMethod(deps.core, actingMember(ctx), { userId: body.userId, method: body.method, platformAuthenticator: platform });
    } catch (err) {
      const failure = formFailure(err);
      return renderPage(
        ctx,
        deps,
        'user-id.njk',
        { ...page, methods: methods(ctx), passkeyPossible: passkeyPossible(ctx), userId: body.userId ?? '', method: body.method ?? '', platform, errors: failure.messages, invalid: failure.invalid },
        failure.status,
      );
    }
    await continueLogin(ctx, deps);
  });
}
