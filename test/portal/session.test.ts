import { describe, it, expect, beforeEach, afterEach } from 'vitest';
import { createHash } from 'node:crypto';
import { testDatabases } from '../support/databases.js';
import { startTestPortal, freshOtpCode, type TestPortal } from './support/portal.js';
import { Browser, textOf } from './support/browser.js';
import { activeMemberSession, firstLogin, login, pathOf } from './support/flows.js';
import { Session } from '../../src/core/db/entities/index.js';
import { queryAudit } from '../../src/core/audit/query-audit.js';

const EXPIRED = 'セッションの有効期限が切れました。もう一度ログインしてください。';
const MIN = 60_000;

describe.each(testDatabases)('portal sessions on $name', (database) => {
  let p: TestPortal;
  beforeEach(async () => {
    p = await startTestPortal(database);
  });
  afterEach(async () => p.stop());

  it('sets an HttpOnly, SameSite=Lax, host-wide cookie holding a 256-bit token whose SHA-256 only is stored', async () => {
    const b = p.browser();
    const page = await b.get('/login');
    const cookie = page.hops[0]!.setCookie[0]!;
    expect(cookie).toMatch(/^kosmo_session=[A-Za-z0-9_-]{43}; Path=\/; HttpOnly; SameSite=Lax$/);
    const token = b.jar.get('kosmo_session')!;
    expect(Buffer.from(token, 'base64url')).toHaveLength(32);
    const rows = await p.core.db.em().find(Session, {});
    expect(rows).toHaveLength(1);
    expect(rows[0]!.tokenHash).toBe(createHash('sha256').update(token).digest('hex'));
    expect(JSON.stringify(rows[0])).not.toContain(token);
  });

  it('renews the token at login and at the birth date: a cookie from before no longer works (no fixation)', async () => {
    const issued = await p.issue();
    const b = p.browser();
    await b.get('/login');
    const before = b.jar.get('kosmo_session')!;
    const csrfBefore = /name="_csrf" value="([^"]+)"/.exec(b.lastPage!.body)![1];
    await b.post('/login', { userId: issued.userId, password: issued.password });
    const afterLogin = b.jar.get('kosmo_session')!;
    expect(afterLogin).not.toBe(before);
    expect(/name="_csrf" value="([^"]+)"/.exec(b.lastPage!.body)![1]).not.toBe(csrfBefore);
    const fixated = new Browser(p.url);
    fixated.jar.set('kosmo_session', before);
    expect(pathOf(await fixated.get('/login/birth-date'))).toBe('/login');
    await b.post('/login/birth-date', { birthDate: '19790822' });
    const afterBirth = b.jar.get('kosmo_session')!;
    expect(afterBirth).not.toBe(afterLogin);
    const stale = new Browser(p.url);
    stale.jar.set('kosmo_session', afterLogin);
    expect(pathOf(await stale.get('/login/terms'))).toBe('/login');
    expect(pathOf(await b.get('/login/terms'))).toBe('/login/terms');
  });

  it('logs out after the confirmation: the session row is deleted and the old cookie is worthless', async () => {
    const { b, memberId } = await activeMemberSession(p);
    const top = await b.get('/');
    expect(top.body).toMatch(/<a class="account__name" href="\/logout"[^>]*>[\s\S]*山田 太郎/);
    const confirm = await b.get('/logout');
    expect(textOf(confirm.body)).toContain('ログアウトしてもよろしいですか?');
    expect(confirm.body).toMatch(/<button[^>]*>ログアウトする<\/button>/);
    const oldCookie = b.jar.get('kosmo_session')!;
    const after = await b.post('/logout', {});
    expect(pathOf(after)).toBe('/');
    expect(after.body).toContain('<a class="account__login" href="/login">ログイン</a>');
    expect(b.jar.has('kosmo_session')).toBe(false);
    const hash = createHash('sha256').update(oldCookie).digest('hex');
    expect(await p.core.db.em().count(Session, { tokenHash: hash })).toBe(0);
    // Only this browser's session ended: the one of the first login elsewhere is still there.
    expect(await p.core.db.em().count(Session, { member: memberId })).toBe(1);
    const replay = new Browser(p.url);
    replay.jar.set('kosmo_session', oldCookie);
    expect(pathOf(await replay.get('/profile'))).toBe('/login');
    const home = await replay.get('/');
    expect(home.body).not.toContain('山田 太郎');
    expect((await queryAudit(p.core, p.society.id, { action: 'logout' })).length).toBe(1);
  });

  it('does not log out on GET', async () => {
    const { b } = await activeMemberSession(p);
    await b.get('/logout');
    expect(pathOf(await b.get('/profile'))).toBe('/profile');
  });

  it('ends a session idle for 30 minutes and says so on the login page', async () => {
    const { b } = await activeMemberSession(p);
    p.clock.advance(29 * MIN);
    expect(pathOf(await b.get('/profile'))).toBe('/profile');
    p.clock.advance(29 * MIN);
    expect(pathOf(await b.get('/profile'))).toBe('/profile');
    p.clock.advance(31 * MIN);
    const page = await b.get('/profile');
    expect(pathOf(page)).toBe('/login');
    expect(textOf(page.body)).toContain(EXPIRED);
  });

  it('ends an active session 12 hours after the login however busy it is', async () => {
    const { b } = await activeMemberSession(p);
    for (let t = 0; t < 11 * 60 + 50; t += 20) {
      p.clock.advance(20 * MIN);
      if (t + 20 < 12 * 60) expect(pathOf(await b.get('/profile')), `${t + 20} min`).toBe('/profile');
    }
    p.clock.advance(20 * MIN);
    const page = await b.get('/profile');
    expect(pathOf(page)).toBe('/login');
    expect(textOf(page.body)).toContain(EXPIRED);
  });

  it('expires a session mid-login too, and a form posted after expiry goes to the login page', async () => {
    const issued = await p.issue();
    const b = p.browser();
    await login(b, issued.userId, issued.password);
    p.clock.advance(31 * MIN);
    const page = await b.post('/login/birth-date', { birthDate: '19790822' });
    expect(pathOf(page)).toBe('/login');
    expect(textOf(page.body)).toContain(EXPIRED);
  });

  it('keeps a remembered session (ログイン状態の保存) with a persistent cookie: idle 7 days, absolute 30 days', async () => {
    const issued = await p.issue();
    const b = p.browser();
    const own = await firstLogin(p, b, issued, { remember: true });
    // Mid-login the cookie was a browser-session cookie; at completion it became persistent.
    const completion = own.page.hops.flatMap((h) => h.setCookie);
    expect(completion.some((c) => /^kosmo_session=[^;]+; Path=\/; HttpOnly; SameSite=Lax; Max-Age=2592000$/.test(c))).toBe(true);
    p.clock.advance(6 * 86_400_000);
    expect(pathOf(await b.get('/profile'))).toBe('/profile');
    p.clock.advance(6 * 86_400_000);
    expect(pathOf(await b.get('/profile'))).toBe('/profile');
    p.clock.advance(7 * 86_400_000 + MIN);
    expect(pathOf(await b.get('/profile'))).toBe('/login');

    const b2 = p.browser();
    await login(b2, own.userId, own.password, { remember: '1' });
    const mid = b2.lastPage!.hops.flatMap((h) => h.setCookie).join('\n');
    expect(mid).not.toContain('Max-Age=2592000');
    await b2.post('/login/second-factor', { code: await freshOtpCode(p, own.userId) });
    for (let day = 0; day < 29; day++) {
      p.clock.advance(86_400_000);
      expect(pathOf(await b2.get('/profile')), `day ${day + 1}`).toBe('/profile');
    }
    p.clock.advance(86_400_000 + MIN);
    expect(pathOf(await b2.get('/profile'))).toBe('/login');
  });

  it('without ログイン状態の保存 the cookie ends with the browser and the limits are the normal ones', async () => {
    const issued = await p.issue();
    const b = p.browser();
    const own = await firstLogin(p, b, issued);
    expect(own.page.hops.flatMap((h) => h.setCookie).join('\n')).not.toContain('Max-Age=2');
    p.clock.advance(31 * MIN);
    expect(pathOf(await b.get('/profile'))).toBe('/login');
  });
});

describe.each(testDatabases)('cookies behind HTTPS on $name', (database) => {
  it('uses Secure and the __Host- prefix with an https public URL, and sends HSTS', async () => {
    const p = await startTestPortal(database, { publicUrl: 'https://portal.example.jp' });
    try {
      const b = p.browser('https://portal.example.jp');
      const page = await b.get('/login');
      expect(page.hops[0]!.setCookie[0]).toMatch(/^__Host-kosmo_session=[A-Za-z0-9_-]{43}; Path=\/; HttpOnly; SameSite=Lax; Secure$/);
      expect(page.headers.get('strict-transport-security')).toBe('max-age=31536000');
      const issued = await p.issue();
      const after = await b.post('/login', { userId: issued.userId, password: issued.password });
      expect(pathOf(after)).toBe('/login/birth-date');
      // A plain-HTTP cookie name is not read when the portal is public over HTTPS.
      const plain = new Browser(p.url, 'https://portal.example.jp');
      plain.jar.set('kosmo_session', b.jar.get('__Host-kosmo_session')!);
      expect(pathOf(await plain.get('/login/birth-date'))).toBe('/login');
    } finally {
      await p.stop();
    }
  });

  it('trusts X-Forwarded-Proto only when told to trust the proxy', async () => {
    const trusting = await startTestPortal(database, { trustProxy: true });
    const plain = await startTestPortal(database);
    try {
      const r1 = await fetch(`${trusting.url}/login`, { headers: { 'x-forwarded-proto': 'https' } });
      expect(r1.headers.getSetCookie()[0]).toMatch(/^__Host-kosmo_session=.*; Secure$/);
      const r2 = await fetch(`${plain.url}/login`, { headers: { 'x-forwarded-proto': 'https' } });
      expect(r2.headers.getSetCookie()[0]).toMatch(/^kosmo_session=[^;]+; Path=\/; HttpOnly; SameSite=Lax$/);
      expect(r2.headers.get('strict-transport-security')).toBeNull();
    } finally {
      await trusting.stop();
      await plain.stop();
    }
  });
});
