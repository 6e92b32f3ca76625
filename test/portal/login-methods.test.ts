import { describe, it, expect, beforeEach, afterEach } from 'vitest';
import { testDatabases } from '../support/databases.js';
import { startTestPortal, type TestPortal } from './support/portal.js';
import { textOf, type Browser } from './support/browser.js';
import { login, pathOf } from './support/flows.js';
import { activeOtpMember, codeAt, devicesOf, errorsOf, keyOf, loginWithOtp } from './support/second-factor.js';
import { PasswordCredential, Session, TotpDevice } from '../../src/core/db/entities/index.js';
import { queryAudit } from '../../src/core/audit/query-audit.js';

const NEWER = 'Another-Portal-2027?';

/** The session's CSRF token, from a page with a form. */
async function csrfOf(b: Browser): Promise<string> {
  return /name="_csrf" value="([^"]+)"/.exec((await b.get('/login-methods/password')).body)![1]!;
}

describe.each(testDatabases)('ログイン方法変更 on $name', (database) => {
  let p: TestPortal;
  let b: Browser;
  let m: Awaited<ReturnType<typeof activeOtpMember>>;
  beforeEach(async () => {
    p = await startTestPortal(database);
    m = await activeOtpMember(p, {}, '社用スマホ');
    b = p.browser();
    await loginWithOtp(p, b, m);
  });
  afterEach(async () => p.stop());

  it('lists the password with its creation date and each second factor with 削除, and 設定 for both kinds', async () => {
    const page = await b.get('/login-methods');
    expect(page.status).toBe(200);
    expect(page.body).toContain('<h1 class="page-title">ログイン方法変更</h1>');
    // 2026-04-01T00:00Z is 09:00 in Japan.
    expect(page.body).toContain('<span class="factor-list__meta" id="password-created">作成日: 2026/04/01 09:00</span>');
    expect(page.body).toMatch(/<a class="button button--secondary factor-list__action"[^>]* href="\/login-methods\/password">更新<\/a>/);
    expect(page.body).toContain('<h2 class="card__title">二要素認証</h2>');
    const [device] = await p.core.db.em().find(TotpDevice, { member: m.memberId });
    expect(page.body).toMatch(new RegExp(`<span class="factor-list__name">社用スマホ</span>[\\s\\S]*?href="/login-methods/otp/${device!.id}/delete">削除</a>`));
    expect(page.body).toContain('href="/login-methods/otp/new">設定</a>');
    expect(page.body).toContain('href="/login-methods/passkey/new">設定</a>');
    expect(textOf(page.body)).toContain('登録されているパスキーはありません。');
    // A kind the society does not allow cannot be added.
    await p.setSetting('allowedFactors', 'otp');
    const otpOnly = await b.get('/login-methods');
    expect(otpOnly.body).not.toContain('href="/login-methods/passkey/new"');
    expect((await b.get('/login-methods/passkey/new')).status).toBe(404);
  });

  it('updates the password (パスワードの更新): spec policy errors, not the current one, and the creation date changes', async () => {
    let page = await b.get('/login-methods/password');
    expect(page.body).toContain('<h1 class="card__heading">パスワードの更新</h1>');
    expect(page.body).toMatch(/<label class="field__label" for="password">パスワード<\/label>/);
    expect(page.body).toMatch(/<label class="field__label" for="passwordConfirm">パスワード確認用<\/label>/);
    expect(page.body).toMatch(/<label for="logoutSessions">全てのデバイスからサインアウトする<\/label>/);
    expect(page.body).toMatch(/type="submit">実行<\/button>/);
    expect(page.body).toContain('href="/login-methods">戻る</a>');
    const cases: [Record<string, string>, string][] = [
      [{ password: '', passwordConfirm: '' }, 'パスワードを入力してください。'],
      [{ password: 'Ab1!', passwordConfirm: 'Ab1!' }, 'パスワードは8文字以上で入力してください。'],
      [{ password: NEWER, passwordConfirm: `${NEWER}x` }, 'パスワードが一致しません。'],
      [{ password: m.userId, passwordConfirm: m.userId }, 'ユーザIDと同じ文字列はパスワードに設定できません。'],
      [{ password: m.password, passwordConfirm: m.password }, '現在ご使用中のパスワードでは更新できません。'],
    ];
    for (const [fields, message] of cases) {
      page = await b.post('/login-methods/password', fields);
      expect(page.status, message).toBe(400);
      expect(errorsOf(page.body)).toEqual([message]);
      expect(page.body).not.toContain(`value="${fields.password}"`);
    }
    p.clock.advance(60_000);
    page = await b.post('/login-methods/password', { password: NEWER, passwordConfirm: NEWER });
    expect(pathOf(page)).toBe('/login-methods');
    expect(textOf(page.body)).toContain('パスワードを更新しました。');
    expect(page.body).toContain('作成日: 2026/04/01 09:01</span>');
    expect(page.body).not.toContain('作成日: 2026/04/01 09:00</span>');
    const cred = await p.core.db.em().findOneOrFail(PasswordCredential, { member: m.memberId });
    expect(cred.createdAt.toISOString()).toBe('2026-04-01T00:01:30.000Z');
    expect(textOf((await login(p.browser(), m.userId, m.password)).body)).toContain('無効なユーザIDまたはパスワードです。');
    expect(pathOf(await login(p.browser(), m.userId, NEWER))).toBe('/login/second-factor');
    expect((await queryAudit(p.core, p.society.id, { action: 'password.change' })).length).toBe(1);
  });

  it('全てのデバイスからサインアウトする ends the other sessions and keeps this one; unticked it keeps them', async () => {
    p.clock.advanceSeconds(30);
    const other = p.browser();
    await loginWithOtp(p, other, m);
    await b.post('/login-methods/password', { password: NEWER, passwordConfirm: NEWER });
    expect(pathOf(await other.get('/login-methods'))).toBe('/login-methods');
    await b.get('/login-methods/password');
    const page = await b.post('/login-methods/password', { password: 'Third-Portal-2028#', passwordConfirm: 'Third-Portal-2028#', logoutSessions: '1' });
    expect(pathOf(page)).toBe('/login-methods');
    expect(pathOf(await other.get('/login-methods'))).toBe('/login');
    expect(pathOf(await b.get('/login-methods'))).toBe('/login-methods');
    expect(await p.core.db.em().count(Session, { member: m.memberId })).toBe(1);
  });

  it('全てのデバイスからサインアウトする on the authenticator-app set-up ends the other sessions too', async () => {
    p.clock.advanceSeconds(30);
    const other = p.browser();
    await loginWithOtp(p, other, m);
    const page = await b.get('/login-methods/otp/new');
    await b.post('/login-methods/otp/new', { code: codeAt(p, keyOf(page.body)), deviceName: '個人スマホ', logoutSessions: '1' });
    expect(pathOf(await other.get('/login-methods'))).toBe('/login');
    expect(pathOf(await b.get('/login-methods'))).toBe('/login-methods');
    expect((await queryAudit(p.core, p.society.id, { action: 'sessions.revoke' })).length).toBeGreaterThan(0);
  });

  it('adds a second authenticator app with 設定 and the set-up page, and the next login offers the choice', async () => {
    let page = await b.get('/login-methods/otp/new');
    expect(page.body).toContain('<h1 class="card__heading">ワンタイムパスワードの設定</h1>');
    expect(textOf(page.body)).not.toContain('アカウントを有効にするには');
    expect(page.body).toContain('href="/login-methods">戻る</a>');
    const key = keyOf(page.body);
    // Device names are unique per member.
    page = await b.post('/login-methods/otp/new', { code: codeAt(p, key), deviceName: '社用スマホ' });
    expect(page.status).toBe(409);
    expect(errorsOf(page.body)).toEqual(['このデバイス名は既に登録されています。別の名前を入力してください。']);
    expect(keyOf(page.body)).toBe(key);
    page = await b.post('/login-methods/otp/new', { code: codeAt(p, key), deviceName: '個人スマホ' });
    expect(pathOf(page)).toBe('/login-methods');
    expect(textOf(page.body)).toContain('「個人スマホ」を登録しました。');
    expect(page.body).toContain('<span class="factor-list__name">個人スマホ</span>');
    p.clock.advanceSeconds(30);
    const b2 = p.browser();
    const second = await login(b2, m.userId, m.password);
    const devices = devicesOf(second.body);
    expect(devices.map((d) => d.name)).toEqual(['社用スマホ', '個人スマホ']);
    expect(pathOf(await b2.post('/login/second-factor', { deviceId: devices[1]!.id, code: codeAt(p, key) }))).toBe('/');
    expect((await queryAudit(p.core, p.society.id, { action: 'factor.add' })).length).toBe(2);
  });

  it('deletes a factor after the confirmation (削除する / 戻る)', async () => {
    await b.get('/login-methods/otp/new');
    const key = keyOf(b.lastPage!.body);
    await b.post('/login-methods/otp/new', { code: codeAt(p, key), deviceName: '個人スマホ' });
    const [company, personal] = await p.core.db.em().find(TotpDevice, { member: m.memberId }, { orderBy: { id: 'asc' } });
    let page = await b.get(`/login-methods/otp/${company!.id}/delete`);
    expect(page.body).toContain('<h1 class="card__heading">二要素認証の削除</h1>');
    expect(page.body).toContain('<dd id="delete-name">社用スマホ</dd>');
    expect(page.body).toMatch(/type="submit">削除する<\/button>/);
    expect(page.body).toContain('href="/login-methods">戻る</a>');
    // GET changes nothing.
    expect(await p.core.db.em().count(TotpDevice, { member: m.memberId })).toBe(2);
    page = await b.post(`/login-methods/otp/${company!.id}/delete`, {});
    expect(pathOf(page)).toBe('/login-methods');
    expect(textOf(page.body)).toContain('「社用スマホ」を削除しました。');
    expect(page.body).not.toContain('<span class="factor-list__name">社用スマホ</span>');
    expect((await p.core.db.em().find(TotpDevice, { member: m.memberId })).map((d) => d.id)).toEqual([personal!.id]);
    // Someone else's or an unknown factor is not found.
    expect((await b.get(`/login-methods/otp/${company!.id}/delete`)).status).toBe(404);
    expect((await b.post(`/login-methods/otp/${company!.id}/delete`, {}, { csrf: await csrfOf(b) })).status).toBe(404);
    expect((await b.get('/login-methods/other/1/delete')).status).toBe(404);
  });

  it('refuses to delete the last second factor with a clear message', async () => {
    const [device] = await p.core.db.em().find(TotpDevice, { member: m.memberId });
    const message = '最後の二要素認証は削除できません。先に別の認証方法を設定してください。';
    const confirm = await b.get(`/login-methods/otp/${device!.id}/delete`);
    expect(errorsOf(confirm.body)).toEqual([message]);
    expect(confirm.body).not.toContain('削除する</button>');
    const token = await csrfOf(b);
    const refused = await b.post(`/login-methods/otp/${device!.id}/delete`, {}, { csrf: token });
    expect(refused.status).toBe(409);
    expect(errorsOf(refused.body)).toEqual([message]);
    expect(await p.core.db.em().count(TotpDevice, { member: m.memberId })).toBe(1);
  });

  it('needs a recent authentication for every change, not for viewing', async () => {
    p.clock.advance(5 * 60_000 + 1000);
    expect(pathOf(await b.get('/login-methods'))).toBe('/login-methods');
    const [device] = await p.core.db.em().find(TotpDevice, { member: m.memberId });
    for (const path of ['/login-methods/password', '/login-methods/otp/new', '/login-methods/passkey/new', `/login-methods/otp/${device!.id}/delete`]) {
      const page = await b.get(path);
      expect(pathOf(page), path).toBe('/reauth');
      expect(textOf(page.body)).toContain('続行する際には再度認証してください。');
    }
    const token = /name="_csrf" value="([^"]+)"/.exec(b.lastPage!.body)![1]!;
    const post = await b.post('/login-methods/password', { password: NEWER, passwordConfirm: NEWER }, { csrf: token });
    expect(pathOf(post)).toBe('/reauth');
    const cred = await p.core.db.em().findOneOrFail(PasswordCredential, { member: m.memberId });
    expect(cred.createdAt.toISOString()).toBe('2026-04-01T00:00:00.000Z');
    const del = await b.post(`/login-methods/otp/${device!.id}/delete`, {}, { csrf: token });
    expect(pathOf(del)).toBe('/reauth');
  });

  it('is only for a logged-in member', async () => {
    const guest = p.browser();
    for (const path of ['/login-methods', '/login-methods/password', '/login-methods/otp/new']) expect(pathOf(await guest.get(path)), path).toBe('/login');
  });
});
