import { describe, it, expect, beforeEach, afterEach } from 'vitest';
import { testDatabases } from '../support/databases.js';
import { startTestPortal, type TestPortal } from './support/portal.js';
import { textOf, type Browser } from './support/browser.js';
import { login, pathOf } from './support/flows.js';
import { activeOtpMember, codeAt, devicesOf, errorsOf, keyOf, loginWithOtp } from './support/second-factor.js';
import { safeReturnPath } from '../../src/portal/middleware/require-recent-auth.js';
import { Member, Session } from '../../src/core/db/entities/index.js';
import { queryAudit } from '../../src/core/audit/query-audit.js';
import { sessionTokenHash } from '../../src/core/sessions/session-token.js';

const NOTICE = '続行する際には再度認証してください。';
const INVALID = '無効なユーザIDまたはパスワードです。';
const FIVE_MINUTES = 5 * 60_000;

describe('safeReturnPath', () => {
  it('keeps a path of this site and refuses anything that could leave it', () => {
    expect(safeReturnPath('/login-methods/otp/new')).toBe('/login-methods/otp/new');
    expect(safeReturnPath('/profile?userId=abc%20d')).toBe('/profile?userId=abc%20d');
    for (const bad of ['//evil.example/x', '/\\evil.example', 'https://evil.example/', 'javascript:alert(1)', '', 'profile', '/a\nb', '/a\\b', `/${'a'.repeat(600)}`, null, 5]) {
      expect(safeReturnPath(bad), String(bad)).toBe('/');
    }
  });
});

describe.each(testDatabases)('re-authentication (§2.9) on $name', (database) => {
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

  /** When this browser's session was last (re)authenticated. */
  async function authenticatedAt(): Promise<string | undefined> {
    const row = await p.core.db
      .em()
      .fork()
      .findOne(Session, { tokenHash: sessionTokenHash(b.jar.get('kosmo_session')!) });
    return row?.authenticatedAt?.toISOString();
  }

  it('is not asked within 5 minutes of the login', async () => {
    p.clock.advance(FIVE_MINUTES);
    const page = await b.get('/login-methods/password');
    expect(pathOf(page)).toBe('/login-methods/password');
  });

  it('after 5 minutes asks for the password (ログイン), then the one-time password, then returns to the page', async () => {
    p.clock.advance(FIVE_MINUTES + 1000);
    let page = await b.get('/login-methods/otp/new');
    expect(pathOf(page)).toBe('/reauth');
    expect(page.status).toBe(200);
    expect(textOf(page.body)).toContain(NOTICE);
    expect(page.body).toContain(`<p class="reauth-user" id="reauth-user">${m.userId}</p>`);
    expect(page.body).toMatch(/<label class="field__label" for="password">パスワード<\/label>/);
    expect(page.body).toMatch(/type="submit">ログイン<\/button>/);
    // Nothing but the password page until the password is given.
    expect(pathOf(await b.get('/reauth/second-factor'))).toBe('/reauth');
    page = await b.post('/reauth', { password: 'Wrong-password-1' });
    expect(page.status).toBe(401);
    expect(errorsOf(page.body)).toEqual([INVALID]);
    page = await b.post('/reauth', { password: m.password });
    expect(pathOf(page)).toBe('/reauth/second-factor');
    expect(page.body).toContain('<h1 class="card__heading">ワンタイムパスワードの入力</h1>');
    expect(textOf(page.body)).toContain(NOTICE);
    expect(page.body).toMatch(/type="submit">トップページへ<\/button>/);
    page = await b.post('/reauth/second-factor', { code: '000000' });
    expect(page.status).toBe(401);
    expect(errorsOf(page.body)).toEqual(['ワンタイムパスワードが正しくありません']);
    const before = await authenticatedAt();
    page = await b.post('/reauth/second-factor', { code: codeAt(p, m.secret) });
    expect(pathOf(page)).toBe('/login-methods/otp/new');
    expect(page.body).toContain('ワンタイムパスワードの設定');
    expect(await authenticatedAt()).toBe(p.clock.now().toISOString());
    expect(await authenticatedAt()).not.toBe(before);
    // Fresh again: the next sensitive page is shown at once, and the add completes.
    page = await b.post('/login-methods/otp/new', { code: codeAt(p, keyOf(page.body)), deviceName: '個人スマホ' });
    expect(pathOf(page)).toBe('/login-methods');
    const failures = await queryAudit(p.core, p.society.id, { action: 'reauth.password' });
    expect(failures.map((e) => e.outcome).sort()).toEqual(['failure', 'success']);
    expect((await queryAudit(p.core, p.society.id, { action: 'reauth.otp' })).map((e) => e.outcome).sort()).toEqual(['failure', 'success']);
  });

  it('renews the session token when it completes (the old cookie stops working)', async () => {
    p.clock.advance(FIVE_MINUTES + 1000);
    await b.get('/login-methods/password');
    await b.post('/reauth', { password: m.password });
    const old = b.cookieHeader();
    await b.post('/reauth/second-factor', { code: codeAt(p, m.secret) });
    expect(b.cookieHeader()).not.toBe(old);
    const res = await fetch(new URL('/login-methods', p.url), { headers: { cookie: old }, redirect: 'manual' });
    expect(res.headers.get('location')).toBe('/login');
  });

  it('asks which device when there are several', async () => {
    await b.get('/login-methods/otp/new');
    const key = keyOf(b.lastPage!.body);
    await b.post('/login-methods/otp/new', { code: codeAt(p, key), deviceName: '個人スマホ' });
    p.clock.advance(FIVE_MINUTES + 30_000);
    await b.get('/login-methods/password');
    const page = await b.post('/reauth', { password: m.password });
    const devices = devicesOf(page.body);
    expect(devices.map((d) => d.name)).toEqual(['社用スマホ', '個人スマホ']);
    expect(pathOf(await b.post('/reauth/second-factor', { deviceId: devices[1]!.id, code: codeAt(p, key) }))).toBe('/login-methods/password');
  });

  it('protects the profile user ID change, and comes back with the typed ID filled in', async () => {
    p.clock.advance(FIVE_MINUTES + 1000);
    await b.get('/profile');
    let page = await b.post('/profile/user-id', { userId: 'new.id.123' });
    expect(pathOf(page)).toBe('/reauth');
    expect((await p.core.db.em().fork().findOneOrFail(Member, { id: m.memberId })).userId).toBe(m.userId);
    await b.post('/reauth', { password: m.password });
    page = await b.post('/reauth/second-factor', { code: codeAt(p, m.secret) });
    expect(new URL(page.url).pathname + new URL(page.url).search).toBe('/profile?userId=new.id.123');
    expect(page.body).toContain('value="new.id.123"');
    page = await b.post('/profile/user-id', { userId: 'new.id.123' });
    expect(textOf(page.body)).toContain('ユーザIDを変更しました。');
  });

  it('counts wrong passwords and codes towards the lockout; the failure that locks ends the session', async () => {
    await p.setSetting('lockout.lockAt', '3');
    p.clock.advance(FIVE_MINUTES + 1000);
    await b.get('/login-methods/password');
    expect(errorsOf((await b.post('/reauth', { password: 'Wrong-password-1' })).body)).toEqual([INVALID]);
    await b.post('/reauth', { password: m.password });
    expect(errorsOf((await b.post('/reauth/second-factor', { code: '000000' })).body)).toEqual(['ワンタイムパスワードが正しくありません']);
    const locked = await b.post('/reauth/second-factor', { code: '000001' });
    expect(pathOf(locked)).toBe('/login');
    expect(textOf(locked.body)).toContain(INVALID);
    expect(pathOf(await b.get('/login-methods'))).toBe('/login');
    expect(textOf((await login(p.browser(), m.userId, m.password)).body)).toContain(INVALID);
  });

  it('checks nothing during the back-off', async () => {
    await p.setSetting('lockout.backoffFrom', '2');
    p.clock.advance(FIVE_MINUTES + 1000);
    await b.get('/login-methods/password');
    await b.post('/reauth', { password: 'Wrong-password-1' });
    await b.post('/reauth', { password: 'Wrong-password-2' });
    // In the back-off even the right password is refused (and not counted), with the wait.
    const page = await b.post('/reauth', { password: m.password });
    expect(errorsOf(page.body)).toEqual(['ログインの失敗が続いたため、一時的にログインを制限しています。しばらく時間をおいてから再度お試しください(あと約30秒)。']);
    p.clock.advanceSeconds(31);
    expect(pathOf(await b.post('/reauth', { password: m.password }))).toBe('/reauth/second-factor');
  });

  it('a password accepted more than 5 minutes ago must be given again', async () => {
    p.clock.advance(FIVE_MINUTES + 1000);
    await b.get('/login-methods/password');
    await b.post('/reauth', { password: m.password });
    p.clock.advance(FIVE_MINUTES + 1000);
    expect(pathOf(await b.get('/reauth/second-factor'))).toBe('/reauth');
  });
});
