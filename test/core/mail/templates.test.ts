import { describe, it, expect } from 'vitest';
import { testDatabases } from '../../support/databases.js';
import { useSmtpSuite } from '../../support/smtp-suite.js';
import { type TestCore } from '../../support/core.js';
import { type TestSmtpServer } from '../../support/smtp.js';
import { updateSocietySetting } from '../../../src/core/society/update-society-setting.js';
import { STAFF } from '../../support/core.js';
import { deliverPendingMail, MAIL_TEMPLATES, renderMail, type MailTemplateName, type MailTransport } from '../../../src/core/mail/index.js';
import { enqueueMail, type EnqueueMailInput } from '../../../src/core/mail/enqueue-mail.js';
import type { CoreContext } from '../../../src/core/context.js';

const SOCIETY = '大和総研健保';

/** For each template: its variables, the exact subject, and what text and HTML must (not) contain. */
const CASES: { [K in MailTemplateName]: { vars: EnqueueMailInput<K>['vars']; subject: string; text: string[]; html: string[]; absent?: string[] } } = {
  'password-reset': {
    vars: { memberName: '山田 太郎', resetUrl: 'https://portal.example.jp/reset/TOKEN-abc_123?x=1&y=2' },
    subject: `【${SOCIETY}】パスワード再設定のご案内`,
    text: ['山田 太郎 様', 'パスワードをリセット', 'https://portal.example.jp/reset/TOKEN-abc_123?x=1&y=2', '5分間', '1回限り'],
    html: ['<a href="https://portal.example.jp/reset/TOKEN-abc_123?x=1&amp;y=2"', '>パスワードをリセット</a>', '5分間'],
  },
  'user-id-reminder': {
    vars: { memberName: '山田 太郎', userId: 'yamada-taro1' },
    subject: `【${SOCIETY}】ユーザIDのお知らせ`,
    text: ['山田 太郎 様', 'ユーザID：yamada-taro1'],
    html: ['<strong>yamada-taro1</strong>'],
  },
  'provisional-credentials': {
    vars: { memberName: '山田 太郎', userId: 'k0000123', password: 'Xy7#kP2m', portalUrl: 'https://portal.example.jp/', expiresOn: '2026年6月30日' },
    subject: `【${SOCIETY}】加入者ページ 仮ユーザID・仮パスワードのお知らせ`,
    text: ['仮ユーザID：k0000123', '仮パスワード：Xy7#kP2m', '有効期限：2026年6月30日', 'https://portal.example.jp/'],
    html: ['k0000123', 'Xy7#kP2m', '2026年6月30日', '<a href="https://portal.example.jp/">'],
  },
  'password-changed': {
    vars: { memberName: '山田 太郎' },
    subject: `【${SOCIETY}】パスワード変更のお知らせ`,
    text: ['山田 太郎 様', '2026年4月1日 9時00分に、加入者ページのパスワードが変更されました。', 'お心当たりのない場合'],
    html: ['パスワードが変更されました'],
  },
  'factor-added': {
    vars: { memberName: '山田 太郎', factorName: '会社のiPhone' },
    subject: `【${SOCIETY}】二要素認証の設定追加のお知らせ`,
    text: ['「会社のiPhone」が追加されました'],
    html: ['「会社のiPhone」が追加されました'],
  },
  'factor-removed': {
    vars: { factorName: '私用のAndroid' },
    subject: `【${SOCIETY}】二要素認証の設定削除のお知らせ`,
    text: ['加入者 様', '「私用のAndroid」が削除されました'],
    html: ['「私用のAndroid」が削除されました'],
  },
  'account-locked': {
    vars: { memberName: '山田 太郎' },
    subject: `【${SOCIETY}】アカウントロックのお知らせ`,
    text: ['アカウントをロックいたしました', `${SOCIETY}までお問い合わせください`],
    html: ['アカウントをロックいたしました'],
  },
  'email-changed': {
    vars: { memberName: '山田 太郎', newAddressMasked: 't***@e***.jp' },
    subject: `【${SOCIETY}】メールアドレス変更のお知らせ`,
    text: ['t***@e***.jp に変更されました', '変更前のメールアドレスにお送りしています'],
    html: ['t***@e***.jp に変更されました'],
    absent: ['taro@example.jp'],
  },
  'devices-removed-by-staff': {
    vars: { memberName: '山田 太郎' },
    subject: `【${SOCIETY}】二要素認証の登録解除のお知らせ`,
    text: ['二要素認証（認証アプリ・生体認証）の登録を解除いたしました', '二要素認証の設定をあらためてお願いいたします'],
    html: ['登録を解除いたしました'],
  },
  'new-device': {
    vars: { memberName: '山田 太郎', browser: 'Chrome 131(Windows 10)', ip: '203.0.113.7' },
    subject: `【${SOCIETY}】新しい端末からのログインのお知らせ`,
    text: ['山田 太郎 様', 'これまでご利用のなかった端末', 'ブラウザ: Chrome 131(Windows 10)', 'IPアドレス: 203.0.113.7', 'パスワードを変更', `${SOCIETY}までご連絡ください`],
    html: ['ブラウザ: Chrome 131(Windows 10)', 'IPアドレス: 203.0.113.7'],
  },
  'recovery-codes-created': {
    vars: { memberName: '山田 太郎', count: '10' },
    subject: `【${SOCIETY}】リカバリーコード作成のお知らせ`,
    text: ['リカバリーコードを10個作成しました', '以前のリカバリーコードは使用できなくなりました'],
    html: ['リカバリーコードを10個作成しました'],
  },
  'recovery-code-used': {
    vars: { memberName: '山田 太郎', remaining: '9' },
    subject: `【${SOCIETY}】リカバリーコードによるログインのお知らせ`,
    text: ['リカバリーコードを使用して加入者ページにログインしました', '残りのリカバリーコードは9個です'],
    html: ['残りのリカバリーコードは9個です'],
  },
};

async function enqueue<T extends MailTemplateName>(core: CoreContext, input: EnqueueMailInput<T>) {
  return core.db.em().transactional(async (em) => {
    const row = await enqueueMail(em, core, input);
    await em.flush();
    return row;
  });
}

describe.each(testDatabases)('mail templates on $name', (database) => {
  let smtp: TestSmtpServer;
  let t: TestCore;
  let core: CoreContext;
  let transport: MailTransport;

  useSmtpSuite(database, async (s) => {
    ({ smtp, t, core, transport } = s);
    await updateSocietySetting(core, STAFF, { societyId: t.society.id, key: 'mailFrom', value: 'no-reply@sckenpo.example.jp' });
    await updateSocietySetting(core, STAFF, { societyId: t.society.id, key: 'contact', value: 'お問い合わせ：03-0000-0000（平日9時〜17時）' });
  });

  it('covers every template', () => {
    expect(Object.keys(CASES).sort()).toEqual([...MAIL_TEMPLATES].sort());
  });

  it.each(MAIL_TEMPLATES)('renders %s and it arrives over SMTP with subject, text and HTML', async (template) => {
    const c = CASES[template];
    const row = await enqueue(core, { societyId: t.society.id, memberId: 42, to: 'taro@example.jp', template, vars: c.vars } as EnqueueMailInput);
    expect(row.status).toBe('pending');
    expect(row.kind).toBe(template);

    expect(await deliverPendingMail(core, transport)).toEqual({ sent: 1, failed: 0, retried: 0 });
    expect(smtp.received).toHaveLength(1);
    const mail = smtp.received[0]!;
    expect(mail.envelopeFrom).toBe('no-reply@sckenpo.example.jp');
    expect(mail.envelopeTo).toEqual(['taro@example.jp']);
    expect(mail.parsed.subject).toBe(c.subject);
    expect(mail.parsed.from).toBe(`${SOCIETY} <no-reply@sckenpo.example.jp>`);
    expect(mail.parsed.to).toBe('taro@example.jp');
    expect(mail.parsed.messageId).toBe(row.messageId);
    expect(mail.parsed.headers.get('date')).toBe('Wed, 01 Apr 2026 00:00:00 +0000');
    for (const s of c.text) expect(mail.parsed.text).toContain(s);
    for (const s of c.html) expect(mail.parsed.html).toContain(s);
    for (const s of c.absent ?? []) expect(mail.parsed.text + mail.parsed.html).not.toContain(s);
    // Signed with the society's name and contact, in both bodies.
    expect(mail.parsed.text).toMatch(new RegExp(`${SOCIETY}\\nお問い合わせ：03-0000-0000`));
    expect(mail.parsed.html).toContain('お問い合わせ：03-0000-0000');
    expect(mail.parsed.html).toMatch(/^<!DOCTYPE html>\n<html lang="ja">/);
  });

  it('escapes variables in the HTML body but not in the text body', async () => {
    await enqueue(core, { societyId: t.society.id, to: 'taro@example.jp', template: 'factor-added', vars: { memberName: '<b>山田&太郎</b>', factorName: '"><script>x</script>' } });
    await deliverPendingMail(core, transport);
    const { parsed } = smtp.received[0]!;
    expect(parsed.html).toContain('&lt;b&gt;山田&amp;太郎&lt;/b&gt; 様');
    expect(parsed.html).toContain('&quot;&gt;&lt;script&gt;x&lt;/script&gt;');
    expect(parsed.html).not.toContain('<script>');
    expect(parsed.text).toContain('<b>山田&太郎</b> 様');
  });

  it('refuses a missing variable, a non-http link and a header-injecting address', async () => {
    const base = { societyId: t.society.id, to: 'taro@example.jp' };
    await expect(renderMail('password-reset', { memberName: 'x', societyName: 'y' })).rejects.toThrow(TypeError);
    await expect(enqueue(core, { ...base, template: 'password-reset', vars: { memberName: 'x', resetUrl: 'javascript:alert(1)' } })).rejects.toThrow(/http\(s\) URL/);
    await expect(enqueue(core, { ...base, to: 'taro@example.jp\r\nBcc: evil@example.com', template: 'password-changed', vars: {} })).rejects.toMatchObject({ code: 'EMAIL_INVALID' });
    expect(await deliverPendingMail(core, transport)).toEqual({ sent: 0, failed: 0, retried: 0 });
  });
});
