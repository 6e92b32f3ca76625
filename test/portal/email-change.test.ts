import { describe, it, expect, beforeEach, afterEach } from 'vitest';
import { testDatabases } from '../support/databases.js';
import { startTestPortal, type TestPortal } from './support/portal.js';
import { textOf, type Browser } from './support/browser.js';
import { login, pathOf } from './support/flows.js';
import { activeMember, queuedMails } from './support/recovery.js';
import { totpCodeAt } from '../../src/core/credentials/totp/index.js';
import { Member } from '../../src/core/db/entities/index.js';
import { EMAIL_CHANGED } from '../../src/portal/routes/email-change.js';

const MSG = {
  required: 'メールアドレスを入力してください。',
  taken: '他のアカウントで設定されているメールアドレスです。別のメールアドレスを入力してください。',
  invalid: '無効なメールアドレスです。入力したメールアドレスに誤りがないかご確認ください。',
  tooLong: '設定可能なメールアドレスの最大文字数は 255 文字です。',
};

/** SCREENS.md §2.7 Eメール変更, manual 3-5, behind the §2.9 re-authentication. */
describe.each(testDatabases)('email change on $name', (database) => {
  let p: TestPortal;
  beforeEach(async () => {
    p = await startTestPortal(database);
  });
  afterEach(async () => p.stop());

  /** Logs in with password and a fresh TOTP code (each code's time step is accepted once). */
  async function signIn(m: { userId: string; password: string; secret: string }): Promise<Browser> {
    p.clock.advanceSeconds(30);
    const b = p.browser();
    expect(pathOf(await login(b, m.userId, m.password))).toBe('/login/second-factor');
    expect(pathOf(await b.post('/login/second-factor', { code: totpCodeAt(m.secret, p.clock.now()) }))).toBe('/');
    return b;
  }
  const emailOf = async (id: number) => (await p.core.db.em().fork().findOneOrFail(Member, { id })).email;

  it('profile → `Eメール変更` → メールアドレスの更新 with the address prefilled, the sign-out box, `実行` and `戻る`', async () => {
    const m = await activeMember(p);
    const b = await signIn(m);
    const profile = await b.get('/profile');
    expect(profile.body).toContain('<a class="button button--secondary button--block" href="/profile/email">Eメール変更</a>');
    const page = await b.get('/profile/email');
    expect(pathOf(page)).toBe('/profile/email');
    const text = textOf(page.body);
    expect(text).toContain('メールアドレスの更新');
    expect(text).toContain('必須フィールド');
    expect(page.body).toMatch(/<label class="field__label" for="email">メールアドレス\*<\/label>/);
    expect(page.body).toMatch(new RegExp(`<input[^>]*id="email"[^>]*value="${m.email.replace(/\./g, '\\.')}"`));
    expect(page.body).toMatch(/<input id="signOutOthers" name="signOutOthers" type="checkbox" value="1" checked>\s*<label for="signOutOthers">全てのデバイスからサインアウトする<\/label>/);
    expect(page.body).toMatch(/type="submit">実行<\/button>/);
    expect(page.body).toContain('<a class="button button--secondary button--block" href="/profile">戻る</a>');
  });

  it('after 5 minutes asks again for password and second factor (`続行する際には再度認証してください。`), then comes back', async () => {
    const m = await activeMember(p);
    const b = await signIn(m);
    p.clock.advanceSeconds(6 * 60);
    // The POST does nothing without it either.
    await b.get('/profile');
    let page = await b.post('/profile/email', { email: 'stolen@example.jp', signOutOthers: '1' });
    expect(pathOf(page)).toBe('/reauth');
    expect(await emailOf(m.memberId)).toBe(m.email);
    page = await b.get('/profile/email');
    expect(pathOf(page)).toBe('/reauth');
    expect(textOf(page.body)).toContain('続行する際には再度認証してください。');
    page = await b.post('/reauth', { password: m.password });
    expect(pathOf(page)).toBe('/reauth/second-factor');
    page = await b.post('/reauth/second-factor', { code: totpCodeAt(m.secret, p.clock.now()) });
    expect(pathOf(page)).toBe('/profile/email');
    expect(textOf(page.body)).toContain('メールアドレスの更新');
  });

  it('shows the four errors of §2.3 step 5 exactly (3 and 4 together) and changes nothing', async () => {
    const m = await activeMember(p);
    const other = await activeMember(p);
    const b = await signIn(m);
    const cases: [string, string[], number][] = [
      ['', [MSG.required], 400],
      [other.email.toUpperCase(), [MSG.taken], 409],
      ['taro.@example.jp', [MSG.invalid], 400],
      ['what?@example.jp', [MSG.invalid], 400],
      [`${'a'.repeat(245)}@example.jp`, [MSG.invalid, MSG.tooLong], 400],
    ];
    expect(cases[4]![0]).toHaveLength(255 + 1);
    for (const [email, messages, status] of cases) {
      await b.get('/profile/email');
      const page = await b.post('/profile/email', { email, signOutOthers: '1' });
      expect(page.status, email).toBe(status);
      const shown = [...page.body.matchAll(/<li>([^<]*)<\/li>/g)].map((x) => x[1]);
      expect(shown, email).toEqual(messages);
      expect(page.body).toContain(`value="${email}"`);
    }
    expect(await emailOf(m.memberId)).toBe(m.email);
    expect(await queuedMails(p, 'email-changed')).toHaveLength(0);
  });

  it('changes the address: the profile shows the new one, the old address gets a notice with the new one masked, other sessions end', async () => {
    const m = await activeMember(p);
    const other = await signIn(m);
    const b = await signIn(m);
    await b.get('/profile/email');
    let page = await b.post('/profile/email', { email: 'New.Address@Example.JP', signOutOthers: '1' });
    expect(pathOf(page)).toBe('/profile');
    expect(textOf(page.body)).toContain(EMAIL_CHANGED);
    expect(textOf(page.body)).toContain('new.address@example.jp');
    expect(await emailOf(m.memberId)).toBe('new.address@example.jp');
    const notices = await queuedMails(p, 'email-changed');
    expect(notices).toHaveLength(1);
    expect(notices[0]!.to).toBe(m.email);
    expect(notices[0]!.text).toContain('n***@example.jp');
    expect(notices[0]!.text).not.toContain('new.address@example.jp');
    page = await other.get('/profile');
    expect(pathOf(page)).toBe('/login');
  });

  it('keeps other sessions when the box is unticked', async () => {
    const m = await activeMember(p);
    const other = await signIn(m);
    const b = await signIn(m);
    await b.get('/profile/email');
    expect(pathOf(await b.post('/profile/email', { email: 'kept@example.jp' }))).toBe('/profile');
    expect(pathOf(await other.get('/profile'))).toBe('/profile');
  });

  it('needs a logged-in member', async () => {
    expect(pathOf(await p.browser().get('/profile/email'))).toBe('/login');
  });
});
