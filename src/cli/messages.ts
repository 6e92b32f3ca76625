import type { ErrorCode } from '../core/errors.js';

/**
 * The staff-facing message catalogue: Japanese by default, English with KOSMO_LANG=en. Member-facing
 * text lives in the core's code table instead; staff get more detail (the flag, the reason).
 */
type Catalogue = Record<string, string>;

const ja: Catalogue = {
  'error.prefix': 'エラー',
  'error.unexpected': '予期しないエラーが発生しました。',
  'init.done': 'データディレクトリを作成しました: {dataDir}',
  'init.society': '健保組合: {name} ({code})',
  'init.next': '最初の加入者を発行するには:\n  npx kosmo member issue --name 山田太郎 --kana ヤマダタロウ --birth-date 1979-08-22\nポータルを起動するには:\n  npx kosmo serve   (http://127.0.0.1:3000/)',
  'migrate.none': '適用するマイグレーションはありません。',
  'migrate.applied': 'マイグレーションを適用しました: {names}',
  'member.issued': '仮ユーザIDと仮パスワードを発行しました(この表示は一度だけです)。',
  'member.userId': '仮ユーザID',
  'member.password': '仮パスワード',
  'member.expires': '有効期限',
  'member.unlocked': '{userId} のロックを解除しました。',
  'member.notLocked': '{userId} はロックされていませんでした(失敗回数をリセットしました)。',
  'member.disabled': '{userId} を無効にしました。',
  'member.enabled': '{userId} を有効にしました。',
  'member.unchanged': '{userId} の状態は変わりませんでした。',
  'member.renamed': '{userId} の氏名を変更しました: {name} ({kana})',
  'member.reissued': '{userId} に新しい仮パスワードを発行しました(この表示は一度だけです)。次回ログイン時に初回ログインの手順をやり直します。',
  'member.none': '該当する加入者はいません。',
  'terms.published': '利用規約 第{version}版を公開しました。',
  'terms.none': '利用規約はまだ公開されていません。',
  'terms.pending': '第{version}版に未同意の加入者: {total} 名',
  'audit.none': '該当する監査ログはありません。',
  'society.set': '{key} を設定しました。',
  'code.INPUT_INVALID': '{field} の値が正しくありません: {reason}',
  'code.SETTING_INVALID': '{key} の値が正しくありません: {reason}',
  'code.SETTING_UNKNOWN': '設定項目 {key} はありません。',
  'code.CONFIG_INVALID': '設定エラー: {reason}',
  'code.MEMBER_NOT_FOUND': '加入者 {userId} が見つかりません。',
  'code.MEMBER_EXISTS': 'この保険証(記号・番号・枝番 {card})の加入者は既に発行済みです。',
  'code.SOCIETY_NOT_FOUND': '健保組合が見つかりません。{reason}',
  'code.SOCIETY_EXISTS': '健保組合 {code} は既にあります。',
  'code.DATA_DIR_EXISTS': 'データディレクトリ {dataDir} は既にあります。上書きしません。',
  'code.DATA_DIR_MISSING': 'データディレクトリ {dataDir} がありません。先に `kosmo init` を実行してください。',
  'code.MIGRATIONS_PENDING': '未適用のマイグレーションがあります。`kosmo migrate` を実行してください。',
  'code.FILE_UNREADABLE': 'ファイル {file} を読めません。',
  'code.USAGE': '{reason}',
};

const en: Catalogue = {
  'error.prefix': 'error',
  'error.unexpected': 'An unexpected error occurred.',
  'init.done': 'Created the data directory: {dataDir}',
  'init.society': 'Society: {name} ({code})',
  'init.next': 'To issue a first member:\n  npx kosmo member issue --name 山田太郎 --kana ヤマダタロウ --birth-date 1979-08-22\nTo start the portal:\n  npx kosmo serve   (http://127.0.0.1:3000/)',
  'migrate.none': 'No migrations to apply.',
  'migrate.applied': 'Applied migrations: {names}',
  'member.issued': 'Issued a provisional user ID and password (shown only this once).',
  'member.userId': 'Provisional user ID',
  'member.password': 'Provisional password',
  'member.expires': 'Expires',
  'member.unlocked': 'Unlocked {userId}.',
  'member.notLocked': '{userId} was not locked (failure count reset).',
  'member.disabled': 'Disabled {userId}.',
  'member.enabled': 'Enabled {userId}.',
  'member.unchanged': '{userId} unchanged.',
  'member.renamed': 'Renamed {userId}: {name} ({kana})',
  'member.reissued': 'Issued a new provisional password for {userId} (shown only this once). The member goes through first login again.',
  'member.none': 'No matching members.',
  'terms.published': 'Published terms version {version}.',
  'terms.none': 'No terms published yet.',
  'terms.pending': 'Members who have not accepted version {version}: {total}',
  'audit.none': 'No matching audit events.',
  'society.set': 'Set {key}.',
  'code.INPUT_INVALID': 'invalid value for {field}: {reason}',
  'code.SETTING_INVALID': 'invalid value for {key}: {reason}',
  'code.SETTING_UNKNOWN': 'unknown setting {key}',
  'code.CONFIG_INVALID': 'configuration error: {reason}',
  'code.MEMBER_NOT_FOUND': 'no member with user ID {userId}',
  'code.MEMBER_EXISTS': 'a member with card {card} was already issued',
  'code.SOCIETY_NOT_FOUND': 'society not found. {reason}',
  'code.SOCIETY_EXISTS': 'society {code} already exists',
  'code.DATA_DIR_EXISTS': 'data directory {dataDir} already exists; not overwriting it',
  'code.DATA_DIR_MISSING': 'data directory {dataDir} does not exist: run `kosmo init` first',
  'code.MIGRATIONS_PENDING': 'migrations are pending: run `kosmo migrate`',
  'code.FILE_UNREADABLE': 'cannot read {file}',
  'code.USAGE': '{reason}',
};

export type Lang = 'ja' | 'en';

export function langFromEnv(env: NodeJS.ProcessEnv = process.env): Lang {
  return (env.KOSMO_LANG ?? '').toLowerCase().startsWith('en') ? 'en' : 'ja';
}

export function t(lang: Lang, key: string, vars: Record<string, unknown> = {}): string {
  const template = (lang === 'en' ? en : ja)[key] ?? ja[key] ?? key;
  return template.replace(/\{(\w+)\}/g, (_, k: string) => (vars[k] === undefined || vars[k] === null ? '' : String(vars[k])));
}

/** Staff text for an error code: the catalogue's, else the member message from the code table. */
export function errorText(lang: Lang, code: ErrorCode | 'USAGE', details: Record<string, unknown>, fallback: string): string {
  const key = `code.${code}`;
  return (lang === 'en' ? en : ja)[key] !== undefined || ja[key] !== undefined ? t(lang, key, details) : fallback;
}
