import { isKosmoError, verifyTotpLogin, beginPasskeyLogin, verifyPasskeyLogin, listLoginMethods, type LoginMethods } from '../../core/index.js';
import { actingMember } from '../acting-member.js';
import { formFailure, renderPage } from '../page.js';
import { requestedKind, type FactorKind, type VerifyPlace } from './second-factor-place.js';
import { keepChallenge, postedCeremonyResponse, relyingPartyFor, sendCeremonyOptions, sendCeremonyUnavailable, takeChallenge } from './second-factor-webauthn.js';
import type { PortalContext, PortalDeps } from '../types.js';
import { noteSecondFactor } from '../second-factor-note.js';
import { loginClient } from '../login-client.js';

const PASSKEY_UNAVAILABLE = 'この画面からは生体認証を利用できません。ワンタイムパスワードをご利用いただくか、ご加入の健保組合までお問い合わせください。';

/**
 * The kind of second factor to ask for: the one asked for in the query if the member has it, else
 * the member's chosen method if they have it, else whichever they have (OTP first).
 */
export function kindToProve(ctx: PortalContext, methods: LoginMethods, wanted: FactorKind | null = requestedKind(ctx)): FactorKind {
  const has = (k: FactorKind) => (k === 'otp' ? methods.otp.length > 0 : methods.passkeys.length > 0);
  if (wanted && has(wanted)) return wanted;
  const preferred = ctx.state.member!.preferredMethod;
  if (preferred && has(preferred)) return preferred;
  return has('otp') || !has('passkey') ? 'otp' : 'passkey';
}

/**
 * Proving the second factor, in the login (§2.5 / §2.6) and in the re-authentication (§2.9):
 * - `ワンタイムパスワードの入力`: the device choice first when there are several (the first one
 *   preselected), `ワンタイムパスワード`, `トップページへ`;
 * - `生体認証` with `次へ`, which runs the WebAuthn ceremony (challenge in the session, single use);
 * - a member with both kinds can switch (`?method=`).
 * Every failure counts towards the lockout (core); the one that locks the account ends the session.
 */
export function factorVerifyHandlers(deps: PortalDeps, place: VerifyPlace) {
  async function show(ctx: PortalContext, opts: { kind?: FactorKind; errors?: string[]; deviceId?: string } = {}, status = 200): Promise<void> {
    const methods = await listLoginMethods(deps.core, actingMember(ctx));
    const kind = kindToProve(ctx, methods, opts.kind ?? requestedKind(ctx));
    const other: FactorKind = kind === 'otp' ? 'passkey' : 'otp';
    const otherAvailable = other === 'otp' ? methods.otp.length > 0 : methods.passkeys.length > 0;
    const common = {
      errors: opts.errors,
      switchTo: otherAvailable ? { href: `${place.paths.page}?method=${other}`, label: other === 'otp' ? 'ワンタイムパスワードを使用する' : '生体認証を使用する' } : null,
      reauth: place.purpose === 'reauth',
      ...place.extras(ctx, kind),
    };
    if (kind === 'passkey') {
      const available = relyingPartyFor(ctx, deps) !== null;
      return renderPage(
        ctx,
        deps,
        'passkey-login.njk',
        { pageTitle: '生体認証', action: place.paths.passkey, optionsUrl: place.paths.passkeyOptions, available, ...common, errors: opts.errors ?? (available ? undefined : [PASSKEY_UNAVAILABLE]) },
        status,
      );
    }
    const devices = methods.otp.map((d) => ({ id: String(d.id), name: d.name }));
    const selected = devices.some((d) => d.id === opts.deviceId) ? opts.deviceId : devices[0]?.id;
    renderPage(ctx, deps, 'otp-login.njk', { pageTitle: 'ワンタイムパスワードの入力', action: place.paths.page, devices, selected, ...common }, status);
  }

  async function otp(ctx: PortalContext): Promise<void> {
    const body = ctx.state.body;
    try {
      await verifyTotpLogin(deps.core, actingMember(ctx), { deviceId: body.deviceId, code: body.code }, { purpose: place.purpose, device: loginClient(ctx).device });
    } catch (err) {
      if (isKosmoError(err, 'ACCOUNT_LOCKED')) return place.locked(ctx);
      const failure = formFailure(err);
      return show(ctx, { kind: 'otp', errors: failure.messages, deviceId: body.deviceId }, failure.status);
    }
    noteSecondFactor(ctx, 'otp');
    await place.done(ctx);
  }

  async function passkeyOptions(ctx: PortalContext): Promise<void> {
    const rp = relyingPartyFor(ctx, deps);
    if (!rp) return sendCeremonyUnavailable(ctx);
    const { options, challenge } = await beginPasskeyLogin(deps.core, actingMember(ctx), rp);
    await keepChallenge(ctx, deps, 'authentication', challenge);
    sendCeremonyOptions(ctx, options);
  }

  async function passkey(ctx: PortalContext): Promise<void> {
    const rp = relyingPartyFor(ctx, deps);
    if (!rp) return show(ctx, { kind: 'passkey', errors: [PASSKEY_UNAVAILABLE] }, 503);
    const challenge = await takeChallenge(ctx, deps, 'authentication');
    try {
      await verifyPasskeyLogin(deps.core, actingMember(ctx), rp, postedCeremonyResponse(ctx), challenge, { purpose: place.purpose, device: loginClient(ctx).device });
    } catch (err) {
      if (isKosmoError(err, 'ACCOUNT_LOCKED')) return place.locked(ctx);
      const failure = formFailure(err);
      deps.log.info({ msg: 'passkey assertion refused', requestId: ctx.state.requestId, reason: (err as { details?: { reason?: unknown } }).details?.reason });
      return show(ctx, { kind: 'passkey', errors: failure.messages }, failure.status);
    }
    noteSecondFactor(ctx, 'passkey');
    await place.done(ctx);
  }

  return { show, otp, passkeyOptions, passkey };
}
