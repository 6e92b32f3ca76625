import { beginPasskeyRegistration, finishPasskeyRegistration, savePasskey, type StoredPasskey } from '../../core/index.js';
import { actingMember } from '../acting-member.js';
import { formFailure, renderPage, seeOther } from '../page.js';
import type { SetupPlace } from './second-factor-place.js';
import { PENDING_PASSKEY_TTL_MS, keepChallenge, postedCeremonyResponse, relyingPartyFor, sendCeremonyOptions, sendCeremonyUnavailable, takeChallenge } from './second-factor-webauthn.js';
import type { PortalContext, PortalDeps } from '../types.js';

/** The label field starts with `パスキー`, as in the manual (2-3 ⑥: the member replaces it). */
export const DEFAULT_PASSKEY_LABEL = 'パスキー';

/**
 * The core words a missing or repeated name for a "device" (shared with the OTP デバイス名); on
 * 認証ラベルの登録 the field is `認証ラベル`, so the message names that (the manual has none).
 */
const LABEL_MESSAGES: Record<string, string> = {
  DEVICE_NAME_REQUIRED: '認証ラベルを入力してください。',
  DEVICE_NAME_TAKEN: 'この認証ラベルは既に登録されています。別の名前を入力してください。',
};

const UNAVAILABLE = 'この画面からは生体認証を利用できません。ご加入の健保組合までお問い合わせください。';

function pendingPasskey(ctx: PortalContext, deps: PortalDeps): StoredPasskey | null {
  const pending = ctx.state.session?.state.pendingPasskey;
  if (!pending) return null;
  const age = deps.core.clock.now().getTime() - Date.parse(pending.createdAt);
  return age >= 0 && age < PENDING_PASSKEY_TTL_MS ? pending.passkey : null;
}

/**
 * セキュリティキーの登録 → `登録` → the browser ceremony → 認証ラベルの登録 → `OK` (SCREENS.md
 * §2.5). The challenge lives in the session (single use, 2 minutes); the verified passkey waits in
 * the session until it is labelled, and only then is stored (label unique per member).
 */
export function passkeySetupHandlers(deps: PortalDeps, place: SetupPlace) {
  function show(ctx: PortalContext, errors?: string[], status = 200): void {
    const available = relyingPartyFor(ctx, deps) !== null;
    renderPage(
      ctx,
      deps,
      'passkey-register.njk',
      {
        pageTitle: 'セキュリティキーの登録',
        action: place.paths.passkey,
        optionsUrl: place.paths.passkeyOptions,
        available,
        errors: errors ?? (available ? undefined : [UNAVAILABLE]),
        backHref: place.backHref,
        switchTo: place.switchTo(ctx, 'passkey'),
      },
      status,
    );
  }

  async function options(ctx: PortalContext): Promise<void> {
    const rp = relyingPartyFor(ctx, deps);
    if (!rp) return sendCeremonyUnavailable(ctx);
    const { options: opts, challenge } = await beginPasskeyRegistration(deps.core, actingMember(ctx), rp);
    await keepChallenge(ctx, deps, 'registration', challenge);
    sendCeremonyOptions(ctx, opts);
  }

  async function verify(ctx: PortalContext): Promise<void> {
    const rp = relyingPartyFor(ctx, deps);
    if (!rp) return show(ctx, [UNAVAILABLE], 503);
    const challenge = await takeChallenge(ctx, deps, 'registration');
    let passkey: StoredPasskey;
    try {
      passkey = await finishPasskeyRegistration(deps.core, rp, postedCeremonyResponse(ctx), challenge);
    } catch (err) {
      const failure = formFailure(err);
      deps.log.info({ msg: 'passkey registration refused', requestId: ctx.state.requestId, reason: (err as { details?: { reason?: unknown } }).details?.reason });
      return show(ctx, failure.messages, failure.status);
    }
    ctx.state.session!.state.pendingPasskey = { passkey, createdAt: deps.core.clock.now().toISOString() };
    ctx.state.session!.dirty = true;
    seeOther(ctx, place.paths.passkeyLabel);
  }

  function showLabel(ctx: PortalContext, extra: { label?: string; errors?: string[] } = {}, status = 200): void {
    if (!pendingPasskey(ctx, deps)) return seeOther(ctx, place.paths.passkey);
    renderPage(ctx, deps, 'passkey-label.njk', { pageTitle: '認証ラベルの登録', action: place.paths.passkeyLabel, label: extra.label ?? DEFAULT_PASSKEY_LABEL, errors: extra.errors }, status);
  }

  async function saveLabel(ctx: PortalContext): Promise<void> {
    const passkey = pendingPasskey(ctx, deps);
    if (!passkey) return seeOther(ctx, place.paths.passkey);
    const typed = typeof ctx.state.body.label === 'string' ? ctx.state.body.label : '';
    let saved: { label: string };
    try {
      saved = await savePasskey(deps.core, actingMember(ctx), passkey, ctx.state.body.label, { replaceLost: place.replaceLost(ctx) });
    } catch (err) {
      const failure = formFailure(err);
      if (failure.code === 'PASSKEY_FAILED') {
        // The credential was registered meanwhile (another tab): this one cannot be stored.
        delete ctx.state.session!.state.pendingPasskey;
        ctx.state.session!.dirty = true;
        return show(ctx, failure.messages, failure.status);
      }
      return showLabel(ctx, { label: typed, errors: [LABEL_MESSAGES[failure.code] ?? failure.messages[0]!] }, failure.status);
    }
    delete ctx.state.session!.state.pendingPasskey;
    ctx.state.session!.dirty = true;
    await place.done(ctx, { kind: 'passkey', name: saved.label });
  }

  return { show, options, verify, showLabel, saveLabel };
}
