import { type SecondFactorMethod, destroyOtherSessions } from '../../core/index.js';
import { actingMember } from '../acting-member.js';
import type { PortalContext, PortalDeps } from '../types.js';

export type FactorKind = SecondFactorMethod;

export const KIND_LABELS: Record<FactorKind, string> = { otp: 'ワンタイムパスワード', passkey: '生体認証' };

/**
 * Where a second-factor set-up runs: in the login (first login, a replacement after lost devices)
 * or from ログイン方法変更 (adding another). The same pages and core calls serve both; only the
 * paths, the lead text and what happens afterwards differ.
 */
export interface SetupPlace {
  /** In the login: the §2.6 lead sentence `アカウントを有効にするには…` is shown. */
  inLogin: boolean;
  paths: {
    /** GET shows the OTP set-up, POST confirms it. */
    otp: string;
    /** GET shows セキュリティキーの登録, POST takes the ceremony's answer. */
    passkey: string;
    /** POST: options for navigator.credentials.create() (JSON). */
    passkeyOptions: string;
    /** GET/POST 認証ラベルの登録. */
    passkeyLabel: string;
  };
  /** `戻る` outside the login. */
  backHref: string | null;
  /** A link to set up the other kind instead, when that is allowed here. */
  switchTo(ctx: PortalContext, current: FactorKind): { href: string; label: string } | null;
  /** A lost-device replacement in a recovery session: old factors of the kind are removed. */
  replaceLost(ctx: PortalContext): boolean;
  done(ctx: PortalContext, added: { kind: FactorKind; name: string }): Promise<void>;
}

/** Where a second factor is proven: the login step or the re-authentication (§2.9). */
export interface VerifyPlace {
  purpose: 'login' | 'reauth';
  paths: {
    /** GET shows the page (`?method=otp|passkey` switches), POST checks a one-time password. */
    page: string;
    /** POST: the passkey ceremony's answer. */
    passkey: string;
    /** POST: options for navigator.credentials.get() (JSON). */
    passkeyOptions: string;
  };
  /** Extra template variables (the recovery link of the login step). */
  extras(ctx: PortalContext, kind: FactorKind): Record<string, unknown>;
  done(ctx: PortalContext): Promise<void>;
  /** The failure locked the account: end the session, back to the login page. */
  locked(ctx: PortalContext): Promise<void>;
}

/** `?method=otp|passkey` from the query string, if it names a kind. */
export function requestedKind(ctx: PortalContext): FactorKind | null {
  const m = ctx.query.method;
  return m === 'otp' || m === 'passkey' ? m : null;
}

/** `全てのデバイスからサインアウトする`: every other session of the member ends (ASVS 7.4.3). */
export async function signOutOtherDevices(ctx: PortalContext, deps: PortalDeps): Promise<void> {
  if (ctx.state.body.logoutSessions !== '1') return;
  await destroyOtherSessions(deps.core, actingMember(ctx), { keepSessionId: ctx.state.session?.row.id ?? null });
}
