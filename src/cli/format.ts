import type { MemberDetail } from '../core/accounts/member-detail.js';
import type { MemberRow } from '../core/db/entities/index.js';
import type { CliRuntime } from './runtime.js';

/** Local time for people, ISO in --json: staff read Japan time. */
export function localTime(iso: string | null): string {
  if (!iso) return '-';
  return new Date(iso).toLocaleString('ja-JP', { timeZone: process.env.TZ || 'Asia/Tokyo', hour12: false });
}

export function memberLine(m: Pick<MemberRow, 'userId' | 'name' | 'kana' | 'birthDate' | 'status' | 'email' | 'cardNumber'>): string {
  return [m.userId.padEnd(14), m.name, `(${m.kana})`, m.birthDate, m.status, m.cardNumber ?? '-', m.email ?? '-'].join('  ');
}

export function memberDetailText(rt: CliRuntime, d: MemberDetail): string {
  const en = rt.lang === 'en';
  const rows: [string, string][] = [
    [en ? 'User ID' : 'ユーザID', d.userId],
    [en ? 'Name' : '氏名', `${d.name} (${d.kana})`],
    [en ? 'Birth date' : '生年月日', d.birthDate],
    [en ? 'Card' : '記号・番号・枝番', [d.cardSymbol, d.cardNumber, d.cardBranch].map((x) => x ?? '-').join(' / ')],
    [en ? 'Relationship' : '続柄', d.relationship === 'self' ? (en ? 'self' : '本人') : en ? 'family' : '家族'],
    [en ? 'Email' : 'メールアドレス', d.email ?? '-'],
    [en ? 'Status' : '状態', d.status + (d.onboardingStep ? ` (${d.onboardingStep})` : '')],
    [en ? 'Lock' : 'ロック', `${d.lock.state}${d.lock.failures ? ` (${en ? 'failures' : '失敗'} ${d.lock.failures})` : ''}${d.lock.until ? ` → ${localTime(d.lock.until)}` : ''}`],
    [en ? 'Method' : '認証方式', d.preferredMethod ?? '-'],
    [en ? 'Provisional expires' : '仮パスワード有効期限', localTime(d.provisionalExpiresAt)],
    [en ? 'Password created' : 'パスワード作成日', localTime(d.passwordCreatedAt)],
    [en ? 'Issued' : '発行日', localTime(d.issuedAt)],
    [en ? 'Last login' : '最終ログイン', localTime(d.lastLoginAt)],
    [en ? 'Terms accepted' : '同意済み利用規約', d.acceptedTermsVersion === null ? '-' : `v${d.acceptedTermsVersion}`],
    [
      en ? 'Devices' : 'デバイス',
      d.devices.length === 0 ? '-' : d.devices.map((x) => `${x.kind === 'otp' ? 'OTP' : (en ? 'passkey' : '生体認証')}:${x.name}`).join(', '),
    ],
  ];
  return rows.map(([k, v]) => `${k}: ${v}`).join('\n');
}
