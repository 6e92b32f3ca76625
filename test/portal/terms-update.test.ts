import { describe, it, expect, beforeEach, afterEach } from 'vitest';
import { testDatabases } from '../support/databases.js';
import { STAFF } from '../support/core.js';
import { startTestPortal, type TestPortal } from './support/portal.js';
import { textOf, type Browser } from './support/browser.js';
import { login, pathOf } from './support/flows.js';
import { activeMember, followResetLink, lastResetToken } from './support/recovery.js';
import { totpCodeAt } from '../../src/core/credentials/totp/index.js';
import { publishTerms } from '../../src/core/terms/publish-terms.js';
import { TermsAcceptance } from '../../src/core/db/entities/index.js';

/** SCREENS.md §2.12, manual 3-8: updated terms after authenticating, before the top page. */
describe.each(testDatabases)('terms re-consent on $name', (database) => {
  let p: TestPortal;
  beforeEach(async () => {
    p = await startTestPortal(database);
  });
  afterEach(async () => p.stop());

  async function passwordAndOtp(m: { userId: string; password: string; secret: string }) {
    p.clock.advanceSeconds(30);
    const b = p.browser();
    expect(pathOf(await login(b, m.userId, m.password))).toBe('/login/second-factor');
    return { b, page: await b.post('/login/second-factor', { code: totpCodeAt(m.secret, p.clock.now()) }) };
  }
  const publish = (body: string) => publishTerms(p.core, STAFF, { societyId: p.society.id, title: '利用規約', body });
  const acceptances = async (memberId: number) =>
    (
      await p.core.db
        .em()
        .fork()
        .find(TermsAcceptance, { member: memberId }, { orderBy: { version: 'asc' } })
    ).map((a) => ({ version: a.version, at: a.acceptedAt.toISOString(), ip: a.ip }));

  it('after a new version is published, an active member sees it after authenticating and must press `同意する`', async () => {
    const m = await activeMember(p);
    const before = await passwordAndOtp(m);
    expect(pathOf(before.page)).toBe('/');
    await publish('第1条(目的)\n第2版の本文です。');
    // A session already past its login keeps going; the new version comes at the next authentication.
    expect(pathOf(await before.b.get('/profile'))).toBe('/profile');

    const { b, page } = await passwordAndOtp(m);
    expect(pathOf(page)).toBe('/login/terms');
    const text = textOf(page.body);
    expect(text).toContain('利用規約の確認');
    expect(text).toContain('第2版の本文です。');
    expect(text).toContain('第2版');
    expect(page.body).toMatch(/<input type="hidden" name="version" value="2">/);
    expect(page.body).toMatch(/type="submit">同意する<\/button>/);
    for (const path of ['/', '/profile', '/login-methods', '/profile/email']) expect(pathOf(await b.get(path)), path).toBe('/login/terms');

    p.clock.advanceSeconds(12);
    const acceptedAt = p.clock.now().toISOString();
    const done = await b.post('/login/terms', { version: '2' });
    expect(pathOf(done)).toBe('/');
    expect(textOf(done.body)).toContain('ログアウト');
    expect(await acceptances(m.memberId)).toEqual([
      { version: 1, at: expect.any(String), ip: null },
      { version: 2, at: acceptedAt, ip: '127.0.0.1' },
    ]);
    // Accepted once: the next login goes straight to the top page.
    expect(pathOf((await passwordAndOtp(m)).page)).toBe('/');
  });

  it('a version published while the page was open must be read first (TERMS_OUTDATED), then accepted', async () => {
    const m = await activeMember(p);
    await publish('第2版');
    const { b, page } = await passwordAndOtp(m);
    expect(pathOf(page)).toBe('/login/terms');
    await publish('第3版の本文');
    const refused = await b.post('/login/terms', { version: '2' });
    expect(refused.status).toBe(409);
    expect(textOf(refused.body)).toContain('利用規約が更新されました。もう一度ご確認ください。');
    expect(textOf(refused.body)).toContain('第3版の本文');
    expect((await acceptances(m.memberId)).map((a) => a.version)).toEqual([1]);
    expect(pathOf(await b.post('/login/terms', { version: '3' }))).toBe('/');
    expect((await acceptances(m.memberId)).map((a) => a.version)).toEqual([1, 3]);
  });

  it('comes after the reset link too: second factor, new password, then the new terms', async () => {
    const m = await activeMember(p);
    await publish('第2版');
    p.clock.advanceSeconds(30);
    const asker: Browser = p.browser();
    await asker.get('/password/forgot');
    await asker.post('/password/forgot', { userId: m.userId });

    const b = p.browser();
    expect(pathOf(await followResetLink(b, await lastResetToken(p)))).toBe('/login/second-factor');
    expect(pathOf(await b.post('/login/second-factor', { code: totpCodeAt(m.secret, p.clock.now()) }))).toBe('/login/password');
    const pw = 'Another-Good-Passw0rd';
    expect(pathOf(await b.post('/login/password', { password: pw, passwordConfirm: pw, signOutOthers: '1' }))).toBe('/login/terms');
    expect(pathOf(await b.post('/login/terms', { version: '2' }))).toBe('/');
  });
});
