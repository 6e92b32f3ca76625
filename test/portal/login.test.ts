import { describe, it, expect, beforeEach, afterEach } from 'vitest';
import { testDatabases } from '../support/databases.js';
import { STAFF } from '../support/core.js';
import { startTestPortal, freshOtpCode, type TestPortal } from './support/portal.js';
import { textOf, type Browser } from './support/browser.js';
import { activeMemberSession, firstLogin, login, pathOf } from './support/flows.js';
import { unlockMember } from '../../src/core/accounts/unlock-member.js';
import { showMember } from '../../src/core/accounts/member-detail.js';
import type { PasswordHasher } from '../../src/core/credentials/password/hasher.js';

const INVALID = '無効なユーザIDまたはパスワードです。';

/** Counts argon2 verifications (real and dummy) made by the core. */
function countingHasher(inner: PasswordHasher) {
  const counts = { verify: 0, dummy: 0 };
  const hasher: PasswordHasher = {
    hash: (p) => inner.hash(p),
    verify: (h, p) => (counts.verify++, inner.verify(h, p)),
    verifyDummy: (p) => (counts.dummy++, inner.verifyDummy(p)),
  };
  return { hasher, counts, reset: () => ((counts.verify = 0), (counts.dummy = 0)) };
}

describe.each(testDatabases)('login on $name', (database) => {
  let p: TestPortal;
  let b: Browser;
  beforeEach(async () => {
    p = await startTestPortal(database);
    b = p.browser();
  });
  afterEach(async () => p.stop());

  it('shows the login form of §2.2 with every label, link and button', async () => {
    const page = await b.get('/login');
    expect(page.status).toBe(200);
    const html = page.body;
    expect(html).toMatch(/<label class="field__label" for="userId">ユーザID<\/label>/);
    expect(html).toMatch(/<input[^>]*id="userId"[^>]*autocomplete="username"/);
    expect(html).toMatch(/<label class="field__label" for="password">パスワード<\/label>/);
    expect(html).toMatch(/<input[^>]*id="password"[^>]*type="password"[^>]*autocomplete="current-password"/);
    expect(html).toMatch(/<input id="remember" name="remember" type="checkbox" value="1">\s*<label for="remember">ログイン状態の保存<\/label>/);
    expect(html).toContain('<a class="login-options__forgot" href="/password/forgot">パスワードを忘れた方はこちら</a>');
    expect(html).toContain('<a href="/user-id/forgot">ユーザIDを忘れた方はこちら</a>');
    expect(html).toMatch(/<button class="button button--primary button--block" type="submit">ログイン<\/button>/);
    expect(html).toContain('<a href="/">ポータルに戻る</a>');
  });

  it('answers an unknown ID exactly like a wrong password: same status, body and one argon2 verify each', async () => {
    const issued = await p.issue();
    const spy = countingHasher(p.core.hasher);
    p.core.hasher = spy.hasher;
    await b.get('/login');
    let unknownPage, wrongPage;
    for (let i = 0; i < 4; i++) {
      spy.reset();
      unknownPage = await b.post('/login', { userId: 'nosuchuser1', password: 'Wrong-Password-1' });
      expect(spy.counts.verify + spy.counts.dummy).toBe(1);
      spy.reset();
      wrongPage = await b.post('/login', { userId: issued.userId, password: 'Wrong-Password-1' });
      expect(spy.counts.verify + spy.counts.dummy).toBe(1);
    }
    expect(unknownPage!.status).toBe(401);
    expect(wrongPage!.status).toBe(401);
    expect(textOf(wrongPage!.body)).toContain(INVALID);
    // The only difference is the echoed user ID (and the per-response CSP nonce).
    const same = (body: string, userId: string) => body.replace(`value="${userId}"`, 'value="X"').replace(/nonce="[^"]+"/g, 'nonce="N"');
    expect(same(unknownPage!.body, 'nosuchuser1')).toBe(same(wrongPage!.body, issued.userId));
    expect(unknownPage!.headers.get('set-cookie')).toBe(wrongPage!.headers.get('set-cookie'));
    // Timing itself is compared statistically, with enough samples, in login.timing.test.ts.
  });

  it('matches the user ID case-insensitively and folds full-width input', async () => {
    const issued = await p.issue();
    expect(pathOf(await login(b, issued.userId.toUpperCase(), issued.password))).toBe('/login/birth-date');
    const fullWidth = [...issued.userId].map((c) => String.fromCharCode(c.charCodeAt(0) + 0xfee0)).join('');
    expect(pathOf(await login(p.browser(), ` ${fullWidth} `, issued.password))).toBe('/login/birth-date');
    // The password is exact: no folding.
    expect(textOf((await login(p.browser(), issued.userId, issued.password.toUpperCase())).body)).toContain(INVALID);
  });

  it('locks after repeated password failures with the same generic message, until staff unlock', async () => {
    const issued = await p.issue();
    const own = await firstLogin(p, b, issued);
    // One browser plays the many clients of a distributed attack: without the smart lockout's
    // per-client block (issue 13; test/portal/smart-lockout.test.ts) it reaches the account's lock.
    await p.setSetting('lockout.clientLockAt', '100');
    const attacker = p.browser();
    await attacker.get('/login');
    for (let i = 0; i < 20; i++) {
      const page = await attacker.post('/login', { userId: own.userId, password: `Wrong-${i}-password` });
      expect(page.status).toBe(401);
      p.clock.advanceSeconds(901); // past each back-off, so every attempt counts
    }
    const d = await showMember(p.core, p.society.id, own.userId);
    expect(d.lock.state).toBe('locked');
    const locked = await login(p.browser(), own.userId, own.password);
    expect(locked.status).toBe(401);
    expect(textOf(locked.body)).toContain(INVALID);
    expect(pathOf(locked)).toBe('/login');
    await unlockMember(p.core, STAFF, { societyId: p.society.id, userId: own.userId });
    expect(pathOf(await login(p.browser(), own.userId, own.password))).toBe('/login/second-factor');
  });

  it('throttles after five failures: even the right password is not checked, and the page says to wait', async () => {
    const issued = await p.issue();
    await b.get('/login');
    for (let i = 0; i < 5; i++) await b.post('/login', { userId: issued.userId, password: `Wrong-${i}-password` });
    const waiting = textOf((await login(p.browser(), issued.userId, issued.password)).body);
    expect(waiting).toContain('しばらく時間をおいてから再度お試しください(あと約30秒)');
    expect(waiting).not.toContain(INVALID);
    // An unknown user ID gets the very same answer after the same failures: it reveals nothing.
    for (let i = 0; i < 5; i++) await b.post('/login', { userId: 'nosuchuser1', password: `Wrong-${i}-password` });
    expect(textOf((await login(p.browser(), 'nosuchuser1', 'Wrong-9-password')).body)).toBe(waiting.replace(issued.userId, 'nosuchuser1'));
    p.clock.advanceSeconds(31);
    expect(pathOf(await login(p.browser(), issued.userId, issued.password))).toBe('/login/birth-date');
  });

  it('counts wrong birth dates towards the lock and ends the login when it locks', async () => {
    await p.setSetting('lockout.lockAt', '3');
    const issued = await p.issue();
    await login(b, issued.userId, issued.password);
    expect(textOf((await b.post('/login/birth-date', { birthDate: '19800101' })).body)).toContain('生年月日が正しくありません。');
    expect(textOf((await b.post('/login/birth-date', { birthDate: '19800102' })).body)).toContain('生年月日が正しくありません。');
    const locked = await b.post('/login/birth-date', { birthDate: '19800103' });
    expect(pathOf(locked)).toBe('/login');
    expect(textOf(locked.body)).toContain(INVALID);
    expect(pathOf(await b.get('/login/birth-date'))).toBe('/login');
    expect(textOf((await login(p.browser(), issued.userId, issued.password)).body)).toContain(INVALID);
    await unlockMember(p.core, STAFF, { societyId: p.society.id, userId: issued.userId });
    const again = p.browser();
    expect(pathOf(await login(again, issued.userId, issued.password))).toBe('/login/birth-date');
    expect(pathOf(await again.post('/login/birth-date', { birthDate: '19790822' }))).toBe('/login/terms');
  });

  it('ends a login in progress once the account gets locked meanwhile', async () => {
    await p.setSetting('lockout.lockAt', '2');
    const issued = await p.issue();
    await login(b, issued.userId, issued.password);
    const other = p.browser();
    await other.get('/login');
    for (let i = 0; i < 2; i++) await other.post('/login', { userId: issued.userId, password: 'Wrong-password-x' });
    const page = await b.get('/login/birth-date');
    expect(pathOf(page)).toBe('/login');
    expect(textOf(page.body)).toContain(INVALID);
  });

  it('refuses an expired provisional password with its own message', async () => {
    const issued = await p.issue();
    p.clock.advance(91 * 86_400_000);
    const page = await login(b, issued.userId, issued.password);
    expect(page.status).toBe(401);
    expect(textOf(page.body)).toContain('仮パスワードの有効期限が切れています。ご加入の健保組合までお問い合わせください。');
  });

  it('reaches the top page after the second factor and goes straight there from /login afterwards', async () => {
    const { b: member } = await activeMemberSession(p);
    expect(pathOf(await member.get('/login'))).toBe('/');
    const wrong = p.browser();
    const issued = await p.issue({ name: '佐藤 花子', kana: 'サトウ ハナコ', email: 'hanako@example.jp' });
    const own = await firstLogin(p, p.browser(), issued);
    await login(wrong, own.userId, own.password);
    const refused = await wrong.post('/login/second-factor', { code: '000000' });
    expect(refused.status).toBe(401);
    expect(pathOf(await wrong.get('/'))).toBe('/login/second-factor');
    expect(pathOf(await wrong.post('/login/second-factor', { code: await freshOtpCode(p, own.userId) }))).toBe('/');
  });
});
