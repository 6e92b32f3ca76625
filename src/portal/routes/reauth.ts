import { reauthenticatePassword, REAUTH_AFTER_MS, canContinueLogin, factorCounts, isKosmoError, KosmoError } from '../../core/index.js';
import { actingMember } from '../acting-member.js';
import { requireAuthenticated } from '../middleware/guards.js';
import { REAUTH_PATH, safeReturnPath } from '../middleware/require-recent-auth.js';
import { formFailure, renderPage, seeOther } from '../page.js';
import { bounceToLogin, rotateTo, setFlash } from '../session-actions.js';
import type { PortalRouter } from '../router.js';
import type { PortalContext, PortalDeps, PortalMiddleware } from '../types.js';
import { factorVerifyHandlers } from './second-factor-verify.js';
import { loginClient } from '../login-client.js';
import type { VerifyPlace } from './second-factor-place.js';

export const REAUTH_NOTICE = '続行する際には再度認証してください。';
const FACTOR_PATH = `${REAUTH_PATH}/second-factor`;

/** The re-authentication under way, started where needed (someone may open /reauth directly). */
function reauthState(ctx: PortalContext): { returnTo: string; passwordVerifiedAt?: string } {
  const session = ctx.state.session!;
  if (!session.state.reauth) {
    session.state.reauth = { returnTo: '/' };
    session.dirty = true;
  }
  return session.state.reauth;
}

/** The password was accepted in this re-authentication, within the last 5 minutes. */
function passwordStillFresh(ctx: PortalContext, deps: PortalDeps): boolean {
  const at = ctx.state.session!.state.reauth?.passwordVerifiedAt;
  if (!at) return false;
  const age = deps.core.clock.now().getTime() - Date.parse(at);
  return age >= 0 && age <= REAUTH_AFTER_MS;
}

/**
 * Done: a new session token, `authenticatedAt` now (the 5-minute window starts again), and back to
 * the page that asked for it (a same-origin path, checked again here).
 */
async function finishReauthentication(ctx: PortalContext, deps: PortalDeps): Promise<void> {
  const session = ctx.state.session!;
  const returnTo = safeReturnPath(session.state.reauth?.returnTo ?? '/');
  const { csrf: _csrf, reauth: _reauth, ...rest } = session.state;
  await rotateTo(ctx, deps, { memberId: ctx.state.member!.id, state: { ...rest, stage: 'authenticated' }, persistent: session.row.persistent, authenticated: true });
  seeOther(ctx, returnTo);
}

/** A failure locked the account: the session ends, the login page shows the generic message. */
function lockedOut(deps: PortalDeps) {
  return (ctx: PortalContext) => bounceToLogin(ctx, deps, 'ACCOUNT_LOCKED');
}

/**
 * Re-authentication (SCREENS.md §2.9, manual 3-2 ④⑤ / 3-5 / 3-6 / 3-7): `続行する際には再度認証して
 * ください。`, the password (button `ログイン`), then the second factor — `ワンタイムパスワードの入力`
 * with the device choice, or `生体認証` — then back to the original page. Entered through
 * `requireRecentAuth` (middleware/require-recent-auth.ts). Wrong passwords and codes count towards
 * the lockout; during a back-off nothing is checked; the failure that locks ends the session.
 */
export function reauthRoutes(router: PortalRouter, deps: PortalDeps): void {
  const signedIn = requireAuthenticated(deps);
  const view = (ctx: PortalContext, errors?: string[], status = 200) =>
    renderPage(ctx, deps, 'reauth-password.njk', { pageTitle: 'ログイン', notice: REAUTH_NOTICE, userId: ctx.state.member!.userId, errors }, status);

  router.get(REAUTH_PATH, signedIn, async (ctx) => {
    reauthState(ctx);
    view(ctx);
  });

  router.post(REAUTH_PATH, signedIn, async (ctx) => {
    const state = reauthState(ctx);
    delete state.passwordVerifiedAt;
    try {
      await reauthenticatePassword(deps.core, actingMember(ctx), ctx.state.body.password);
    } catch (err) {
      if (isKosmoError(err, 'ACCOUNT_LOCKED')) return lockedOut(deps)(ctx);
      const failure = formFailure(err);
      return view(ctx, failure.messages, failure.status);
    }
    const { otp, passkey } = await factorCounts(deps.core, actingMember(ctx));
    // A member with no second factor (not possible after the login, which sets one up) has only the password.
    if (otp + passkey === 0) return finishReauthentication(ctx, deps);
    state.passwordVerifiedAt = deps.core.clock.now().toISOString();
    ctx.state.session!.dirty = true;
    seeOther(ctx, FACTOR_PATH);
  });

  /** The second-factor pages need the password of this re-authentication, and an account not in its back-off. */
  const passwordDone: PortalMiddleware = async (ctx, next) =>
    signedIn(ctx, async () => {
      if (!passwordStillFresh(ctx, deps)) return seeOther(ctx, REAUTH_PATH);
      if (ctx.method === 'POST' && !(await canContinueLogin(deps.core, ctx.state.member!.id, loginClient(ctx).device))) {
        delete ctx.state.session!.state.reauth!.passwordVerifiedAt;
        setFlash(ctx, new KosmoError('INVALID_CREDENTIALS').memberMessage, 'error');
        return seeOther(ctx, REAUTH_PATH);
      }
      await next();
    });

  const place: VerifyPlace = {
    purpose: 'reauth',
    paths: { page: FACTOR_PATH, passkey: `${FACTOR_PATH}/passkey`, passkeyOptions: `${FACTOR_PATH}/passkey/options` },
    extras: () => ({}),
    done: (ctx) => finishReauthentication(ctx, deps),
    locked: lockedOut(deps),
  };
  const h = factorVerifyHandlers(deps, place);
  router.get(place.paths.page, passwordDone, (ctx) => h.show(ctx));
  router.post(place.paths.page, passwordDone, (ctx) => h.otp(ctx));
  router.post(place.paths.passkeyOptions, passwordDone, (ctx) => h.passkeyOptions(ctx));
  router.post(place.paths.passkey, passwordDone, (ctx) => h.passkey(ctx));
}
