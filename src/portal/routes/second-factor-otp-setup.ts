import { beginTotpSetup, resumeTotpSetup, type TotpSetup, confirmTotpSetup, KosmoError } from '../../core/index.js';
import { actingMember } from '../acting-member.js';
import { formFailure, renderPage } from '../page.js';
import { signOutOtherDevices, type SetupPlace } from './second-factor-place.js';
import type { PortalContext, PortalDeps } from '../types.js';

/**
 * A seed being set up stays in the session (sealed, DESIGN.md §4) this long: reloading the page or
 * a wrong code keeps the QR code the member may already have scanned.
 */
export const PENDING_TOTP_TTL_MS = 15 * 60_000;

function pendingSeed(ctx: PortalContext, deps: PortalDeps): string | null {
  const pending = ctx.state.session?.state.pendingTotp;
  if (!pending || typeof pending.secretEnc !== 'string') return null;
  const age = deps.core.clock.now().getTime() - Date.parse(pending.createdAt);
  return age >= 0 && age < PENDING_TOTP_TTL_MS ? pending.secretEnc : null;
}

/** The pending set-up of this session, or a fresh seed kept (sealed) in the session. */
async function currentSetup(ctx: PortalContext, deps: PortalDeps): Promise<TotpSetup> {
  const acting = actingMember(ctx);
  const secretEnc = pendingSeed(ctx, deps);
  if (secretEnc) {
    try {
      return await resumeTotpSetup(deps.core, acting, secretEnc);
    } catch {
      // sealed for another member or with another key: start over
    }
  }
  const setup = await beginTotpSetup(deps.core, acting);
  ctx.state.session!.state.pendingTotp = { secretEnc: setup.secretEnc, createdAt: deps.core.clock.now().toISOString() };
  ctx.state.session!.dirty = true;
  return setup;
}

/**
 * ワンタイムパスワードの設定 (SCREENS.md §2.6): the three steps, the QR code made on the server
 * (an inline data: image, no outside service), `スキャンできませんか?` showing the grouped key
 * (a <details>, so it works without JavaScript), `ワンタイムパスワード`, `デバイス名`,
 * `全てのデバイスからサインアウトする`, `実行`. The seed never leaves the server unsealed except
 * in the QR code and the key the member must copy.
 */
export function otpSetupHandlers(deps: PortalDeps, place: SetupPlace) {
  async function show(
    ctx: PortalContext,
    extra: { errors?: string[]; invalid?: Record<string, true>; code?: string; deviceName?: string; logoutSessions?: boolean } = {},
    status = 200,
  ): Promise<void> {
    const setup = await currentSetup(ctx, deps);
    renderPage(
      ctx,
      deps,
      'otp-setup.njk',
      {
        pageTitle: 'ワンタイムパスワードの設定',
        intro: place.inLogin,
        action: place.paths.otp,
        qrDataUri: `data:image/svg+xml;base64,${Buffer.from(setup.qrSvg, 'utf8').toString('base64')}`,
        displayKey: setup.displayKey,
        code: extra.code ?? '',
        deviceName: extra.deviceName ?? '',
        logoutSessions: extra.logoutSessions ?? true,
        errors: extra.errors,
        invalid: extra.invalid,
        backHref: place.backHref,
        switchTo: place.switchTo(ctx, 'otp'),
      },
      status,
    );
  }

  async function confirm(ctx: PortalContext): Promise<void> {
    const body = ctx.state.body;
    const typed = { deviceName: typeof body.deviceName === 'string' ? body.deviceName : '', logoutSessions: body.logoutSessions === '1' };
    const secretEnc = pendingSeed(ctx, deps);
    let added: { name: string };
    try {
      // No pending seed (expired, or a form from another session): the code cannot match.
      if (!secretEnc) throw new KosmoError('OTP_SETUP_INVALID', { reason: 'no_pending_seed' });
      added = await confirmTotpSetup(deps.core, actingMember(ctx), { secretEnc, code: body.code, deviceName: body.deviceName }, { replaceLost: place.replaceLost(ctx) });
    } catch (err) {
      const failure = formFailure(err);
      // Only the field in error is outlined; a code that was not the problem stays typed in
      // (it is still valid for its 30 seconds: nothing was stored).
      const code = !failure.invalid.code && typeof body.code === 'string' ? body.code.slice(0, 16) : '';
      return show(ctx, { ...typed, code, errors: failure.messages, invalid: failure.invalid }, failure.status);
    }
    delete ctx.state.session!.state.pendingTotp;
    ctx.state.session!.dirty = true;
    await signOutOtherDevices(ctx, deps);
    await place.done(ctx, { kind: 'otp', name: added.name });
  }

  return { show, confirm };
}
