/**
 * The fifteen questions of the member manual, chapter 4 (SCREENS.md §2.13). Text as in the manual,
 * with the PDF extraction's stray spaces removed (`ユーザ ID` → `ユーザID`) and three corrections
 * documented in docs/portal.md: A8's typo (`あるます` → `あります`), A11's section number (the
 * manual's own 3-6 is 追加登録), and A15's answer completed from the manual's §1 推奨デバイス.
 * The manual's product name `KOSMO Communication Web` appears nowhere else on the portal: it is
 * written `{portal}` here and replaced by the society's portal title (issue 12).
 *
 * Answer format: a line starting with `・` is a list item; a line starting with a full-width space
 * continues the item above as its own paragraph; other lines are paragraphs.
 */
export interface FaqEntry {
  q: string;
  a: string;
  /** Show the society's password policy table under the answer (Q7). */
  policy?: boolean;
}

export const DEFAULT_FAQ: FaqEntry[] = [
  { q: 'ユーザIDがわからない', a: 'ご加入の健保組合までお問い合わせください。' },
  { q: 'ユーザIDを作成したい', a: 'ご加入の健保組合までお問い合わせください。' },
  {
    q: 'メールを受信できません',
    a: [
      '以下を確認してください。',
      '・迷惑メールフォルダに受信されていないか確認します。',
      '・ドメイン受信設定を確認します。',
      '・メールの表示形式が「スレッド形式」になっていることで、一連のやり取りが最新の1件にまとめられていないかを確認します。',
      '・メールアドレスが正しく登録されているかを確認します。',
      '・{portal}のパスワードを忘れてログインできない場合は、手順「3-3. パスワードを忘れた場合」を確認し、変更をお願いします。',
      '　ユーザIDが不明な方は、ご加入の健保組合までお問い合わせください。',
    ].join('\n'),
  },
  { q: 'パスワードを忘れました', a: '手順「3-3. パスワードを忘れた場合」を確認し、変更をお願いします。' },
  { q: 'パスワードがロックされました', a: 'ご加入の健保組合までお問い合わせください。' },
  { q: 'アカウントがロックされました', a: 'ご加入の健保組合までお問い合わせください。' },
  {
    q: '{portal}のパスワードポリシーを教えてください',
    a: [
      '{portal}にて設定可能なパスワードポリシーはこちらを参照ください。',
      'なおパスワードはユーザIDと同じ文字列の設定は、禁止しております。',
      '*パスワードの最大文字数、利用可能文字はご加入の健保組合からのご案内に沿って登録をお願いします。',
    ].join('\n'),
    policy: true,
  },
  {
    q: '「無効なユーザIDまたはパスワードです。」と表示されログインできません。',
    a: '入力したユーザID、もしくはパスワードに誤りがある場合があります。入力内容を改めてご確認ください。',
  },
  {
    q: 'ワンタイムパスワード6桁を入力してもログインできません',
    a: [
      '以下を確認してください。',
      '・最新のワンタイムパスワードを再度入力します。',
      '　ワンタイムパスワードは一定時間ごとに常時更新されるため、古いワンタイムパスワードは使用できません。また時間内に入力ができず切り替わっている可能性があります。',
      '　その際は、お手数ですがパスワードが切り替わった直後にコピーして試してください。',
      '・認証アプリを再起動します。',
      '　インストール済みの Google Authenticator または Microsoft Authenticator が正しく動作していない可能性があります。一度アプリを閉じ、再起動してください。',
      '・時刻の自動補正機能を有効化する。',
      '　Google Authenticator または Microsoft Authenticator などを利用する際は、利用のスマートデバイスの時刻が正しく設定されている必要があります。',
      '　ご利用のスマートデバイスで時計の自動補正機能が ON になっているかを確認ください。',
      '・複数台でワンタイムパスワード認証を設定されている方は、認証時のスマートデバイス選択を再度ご確認ください。',
    ].join('\n'),
  },
  {
    q: '「ワンタイムパスワードが正しくありません」と表示されログインできません',
    a: [
      '以下を確認してください。',
      '・入力が誤っている。',
      '　入力したワンタイムパスワードが間違っている可能性があります。ワンタイムパスワードを再度確認し、正しいワンタイムパスワードを入力してください。',
      '・有効期限が切れている。',
      '　〈ワンタイムパスワード認証(アプリ)の場合〉ワンタイムパスワードが発行されてから30秒以上経過すると、発行されたワンタイムパスワードは無効になります。お手数ですがパスワードが切り替わった直後にコピーして試してください。',
    ].join('\n'),
  },
  {
    q: '多要素認証で利用するスマートデバイスは、社給用・個人用の2台を設定しても認証できますか',
    a: '多要素認証アプリを社給用・個人用と2台のスマートデバイスで設定し、認証することも可能です。2台目のスマートデバイスを登録する際は、手順「3-6. 多要素認証アプリの追加登録」を参照して設定ください。',
  },
  {
    q: '利用しなくなったスマートデバイスの多要素認証を削除できますか',
    a: '手順「3-7. 多要素認証アプリの削除」を参照し、削除してください。\nその際、誤ってご使用のスマートデバイスを削除しないようご注意ください。',
  },
  {
    q: 'プロフィール変更画面に表示している「ユーザー名」が異なります',
    a: 'ユーザー名の修正は、ご加入の健保組合までお問い合わせの上、お手続きをお願いします。',
  },
  {
    q: '多要素認証を設定したスマートデバイス機種変更、または紛失しました',
    a: 'ユーザIDを把握されている方は、手順「3-3. パスワードを忘れた場合」を参照し、再度設定をお願いします。',
  },
  {
    q: '{portal}は、スマートデバイス以外にパソコン利用も可能でしょうか',
    a: [
      '利用可能です。パソコン、スマートフォン端末(iPhone、Android)、タブレット端末でご利用いただけます。',
      '推奨ブラウザは Google Chrome、Safari、Microsoft Edge(いずれも最新版を推奨)です。',
      'ただし、多要素認証を利用している場合は、スマートデバイスに認証アプリの登録が必要です。',
    ].join('\n'),
  },
];

/** A piece of an answer's text; with `href`, a link to the portal page the manual's step is about. */
export interface FaqPart {
  text: string;
  href?: string;
}

export type FaqBlock = { kind: 'p'; parts: FaqPart[] } | { kind: 'ul'; items: { parts: FaqPart[]; notes: FaqPart[][] }[] };

/**
 * The manual's steps an answer refers to (`手順「3-3. パスワードを忘れた場合」`) and the portal page
 * where that step starts: the references become links (issue 12).
 */
const STEP_PAGES: Record<string, string> = {
  '3-1': '/profile',
  '3-2': '/login-methods',
  '3-3': '/password/forgot',
  '3-4': '/user-id/forgot',
  '3-5': '/profile',
  '3-6': '/login-methods',
  '3-7': '/login-methods',
};

const STEP_REFERENCE = /手順「(\d-\d)\.[^」]*」/g;

/** Splits a text into plain parts and links for the manual's step references it names. */
export function faqParts(text: string, vars: { portal: string }): FaqPart[] {
  const filled = text.replaceAll('{portal}', vars.portal);
  const parts: FaqPart[] = [];
  let at = 0;
  for (const m of filled.matchAll(STEP_REFERENCE)) {
    const href = STEP_PAGES[m[1]!];
    if (!href) continue;
    if (m.index > at) parts.push({ text: filled.slice(at, m.index) });
    parts.push({ text: m[0], href });
    at = m.index + m[0].length;
  }
  if (at < filled.length) parts.push({ text: filled.slice(at) });
  return parts;
}

/** Turns an answer's lines into paragraphs and lists (see the format above). */
export function faqBlocks(answer: string, vars: { portal: string }): FaqBlock[] {
  const blocks: FaqBlock[] = [];
  for (const raw of answer.split('\n')) {
    const line = raw.trimEnd();
    if (line.trim() === '') continue;
    const last = blocks[blocks.length - 1];
    if (line.startsWith('・')) {
      const item = { parts: faqParts(line.slice(1).trim(), vars), notes: [] as FaqPart[][] };
      if (last?.kind === 'ul') last.items.push(item);
      else blocks.push({ kind: 'ul', items: [item] });
    } else if (line.startsWith('\u3000') && last?.kind === 'ul') {
      last.items[last.items.length - 1]!.notes.push(faqParts(line.trim(), vars));
    } else {
      blocks.push({ kind: 'p', parts: faqParts(line.trim(), vars) });
    }
  }
  return blocks;
}
