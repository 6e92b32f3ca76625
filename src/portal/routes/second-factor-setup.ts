import { seeOther } from '../page.js';
import type { PortalRouter } from '../router.js';
import type { PortalContext, PortalMiddleware } from '../types.js';
import { KIND_LABELS, requestedKind, type FactorKind, type SetupPlace } from './second-factor-place.js';
import { otpSetupHandlers } from './second-factor-otp-setup.js';
import { passkeySetupHandlers } from './second-factor-passkey-setup.js';
import { noteSecondFactor } from '../second-factor-note.js';
import { setFlash } from '../session-actions.js';
import type { StepKit } from './step-kit.js';

const SETUP_PATH = '/setup/factor';

function allowedKinds(ctx: PortalContext): FactorKind[] {
  return ctx.state.society.settings.allowedFactors;
}

/** In a recovery session where the member lost a device: that kind, and no other (it replaces them). */
function lostKind(ctx: PortalContext): FactorKind | null {
  const progress = ctx.state.session?.state.progress ?? {};
  return progress.recovery && progress.lostDevice ? progress.lostDevice : null;
}

/** Whether this session may set up `kind` now (allowed by the society; the lost kind in a recovery). */
function mayUse(ctx: PortalContext, kind: FactorKind): boolean {
  const lost = lostKind(ctx);
  return lost ? kind === lost : allowedKinds(ctx).includes(kind);
}

/** Refuses (back to the set-up page) a post for a kind this session may not set up. */
function onlyKind(kind: FactorKind): PortalMiddleware {
  return async (ctx, next) => (mayUse(ctx, kind) ? next() : seeOther(ctx, SETUP_PATH));
}

/**
 * Which factor the set-up page is for: a lost device's kind in a recovery; else the one asked for
 * (`?method=`) if the society allows it; else the member's chosen method (§2.3 step 3); else the
 * only allowed one. Null: the member chooses (e.g. staff removed the devices of a member who never
 * chose, or the chosen method is no longer allowed).
 */
export function setupKind(ctx: PortalContext): FactorKind | null {
  const lost = lostKind(ctx);
  if (lost) return lost;
  const allowed = allowedKinds(ctx);
  const wanted = requestedKind(ctx);
  if (wanted && allowed.includes(wanted)) return wanted;
  const preferred = ctx.state.member!.preferredMethod;
  if (preferred && allowed.includes(preferred)) return preferred;
  return allowed.length === 1 ? allowed[0]! : null;
}

/** Shown on the top page once the login with the newly set-up factor completes. */
export const RECOVERY_CODES_OFFER = 'ログイン方法を登録しました。スマートフォンをなくしたときに備えて、「ログイン方法変更」の「リカバリーコード」から予備のコードを作成しておくことをおすすめします。';

/**
 * `/setup/factor` (step `factor_setup`): the member's method is set up before the top page is
 * ever reached (§2.3 step 6). ワンタイムパスワードの設定 answers at /setup/factor itself; セキュリティ
 * キーの登録 posts its ceremony to /setup/factor/passkey and labels it at /setup/factor/passkey/label.
 * Where the society allows both, the member may switch to the other method.
 */
export function factorSetupRoutes(router: PortalRouter, kit: StepKit): void {
  const { deps } = kit;
  const place: SetupPlace = {
    inLogin: true,
    paths: { otp: SETUP_PATH, passkey: `${SETUP_PATH}/passkey`, passkeyOptions: `${SETUP_PATH}/passkey/options`, passkeyLabel: `${SETUP_PATH}/passkey/label` },
    backHref: null,
    switchTo(ctx, current) {
      const other: FactorKind = current === 'otp' ? 'passkey' : 'otp';
      if (lostKind(ctx) || !allowedKinds(ctx).includes(other)) return null;
      return { href: `${SETUP_PATH}?method=${other}`, label: `${KIND_LABELS[other]}を設定する` };
    },
    replaceLost: (ctx) => lostKind(ctx) !== null,
    // The first factor is set up: the top page offers recovery codes (docs/member-security.md).
    done: (ctx, added) => (noteSecondFactor(ctx, added.kind), setFlash(ctx, RECOVERY_CODES_OFFER), kit.secondFactorVerified(ctx)),
  };
  const otp = otpSetupHandlers(deps, place);
  const passkey = passkeySetupHandlers(deps, place);
  const guard = kit.requireStep('factor_setup');

  router.get(SETUP_PATH, guard, async (ctx) => {
    const kind = setupKind(ctx);
    if (kind === 'otp') return otp.show(ctx);
    if (kind === 'passkey') return passkey.show(ctx);
    const choices = allowedKinds(ctx).map((k) => ({ kind: k, label: KIND_LABELS[k], href: `${SETUP_PATH}?method=${k}` }));
    kit.render(ctx, 'factor-choice.njk', { pageTitle: '認証方式の選択', choices });
  });
  const otpOnly = onlyKind('otp');
  const passkeyOnly = onlyKind('passkey');
  router.post(SETUP_PATH, guard, otpOnly, (ctx) => otp.confirm(ctx));
  router.post(place.paths.passkeyOptions, guard, passkeyOnly, (ctx) => passkey.options(ctx));
  router.post(place.paths.passkey, guard, passkeyOnly, (ctx) => passkey.verify(ctx));
  router.get(place.paths.passkeyLabel, guard, passkeyOnly, async (ctx) => passkey.showLabel(ctx));
  router.post(place.paths.passkeyLabel, guard, passkeyOnly, (ctx) => passkey.saveLabel(ctx));
  // A reload of the passkey page after a failed ceremony lands here.
  router.get(place.paths.passkey, guard, passkeyOnly, async (ctx) => passkey.show(ctx));
}
