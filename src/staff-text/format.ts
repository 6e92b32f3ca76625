import { staffTime, type MemberDetail } from '../core/index.js';
import { t } from './index.js';
import type { Lang } from './lang.js';

/** Local time for people, ISO in --json: staff read Japan time (TZ overrides it). */
export const localTime = (iso: string | null): string => staffTime(iso);

/** `仮発行(初回ログイン前)`, `利用中`, `無効` — the same words in the CLI and the TUI. */
export function statusText(lang: Lang, status: string): string {
  const key = `tui.status.${status}`;
  const text = t(lang, key);
  return text === key ? status : text;
}

/** The first-login step a member is at, in words (`生年月日の確認` …). */
export function stepText(lang: Lang, step: string): string {
  const key = `staff.step.${step}`;
  const text = t(lang, key);
  return text === key ? step : text;
}

/** Status with the first-login step where it tells staff something (an active member re-enrolling). */
export function statusWithStep(lang: Lang, d: Pick<MemberDetail, 'status' | 'onboardingStep'>): string {
  return statusText(lang, d.status) + (d.onboardingStep && d.status !== 'provisional' ? `(${stepText(lang, d.onboardingStep)})` : '');
}

/** `なし`, `一時停止中(…まで、失敗 6 回)`, `ロック中(…)`. */
export function lockText(lang: Lang, lock: MemberDetail['lock']): string {
  if (lock.state === 'locked') return t(lang, 'tui.lock.locked', { failures: lock.failures });
  if (lock.state === 'backoff') return t(lang, 'tui.lock.backoff', { until: localTime(lock.until), failures: lock.failures });
  return t(lang, 'tui.lock.open') + (lock.failures ? ` (${lock.failures})` : '');
}

function word(lang: Lang, group: string, value: string | null | undefined): string {
  if (value === null || value === undefined) return '-';
  const key = `staff.${group}.${value}`;
  const text = t(lang, key);
  return text === key ? value : text;
}

export const methodText = (lang: Lang, m: string | null | undefined) => word(lang, 'method', m);
export const relationshipText = (lang: Lang, r: string | null | undefined) => word(lang, 'relationship', r);
export const outcomeText = (lang: Lang, o: string | null | undefined) => word(lang, 'outcome', o);
export const mailStatusText = (lang: Lang, s: string | null | undefined) => word(lang, 'mail', s);
export const actorTypeText = (lang: Lang, a: string | null | undefined) => word(lang, 'actor', a);

/** A device as staff see it: `OTP:iPhone`, `生体認証:MacBook`. */
export function deviceLabel(lang: Lang, d: { kind: 'otp' | 'passkey'; name: string }): string {
  return `${d.kind === 'otp' ? 'OTP' : t(lang, 'devices.passkey')}:${d.name}`;
}

/** `kosmo member show`: one `label: value` line per fact, in the TUI's words. */
export function memberDetailLines(lang: Lang, d: MemberDetail): [string, string][] {
  const tr = (key: string, vars: Record<string, unknown> = {}) => t(lang, key, vars);
  return [
    [tr('detail.userId'), d.userId],
    [tr('detail.name'), `${d.name} (${d.kana})`],
    [tr('detail.birthDate'), d.birthDate],
    [tr('detail.card'), [d.cardSymbol, d.cardNumber, d.cardBranch].map((x) => x ?? '-').join(' / ')],
    [tr('detail.relationship'), relationshipText(lang, d.relationship)],
    [tr('detail.email'), d.email ?? '-'],
    [tr('detail.status'), statusWithStep(lang, d)],
    [tr('detail.lock'), lockText(lang, d.lock)],
    [tr('detail.method'), methodText(lang, d.preferredMethod)],
    [tr('detail.provisionalExpires'), localTime(d.provisionalExpiresAt)],
    [tr('detail.passwordCreated'), localTime(d.passwordCreatedAt)],
    [tr('detail.issued'), localTime(d.issuedAt)],
    [tr('detail.lastLogin'), localTime(d.lastLoginAt)],
    [tr('detail.terms'), d.acceptedTermsVersion === null ? '-' : tr('detail.termsVersion', { version: d.acceptedTermsVersion })],
    [tr('detail.devices'), d.devices.length === 0 ? tr('tui.none') : d.devices.map((x) => deviceLabel(lang, x)).join(', ')],
  ];
}
