import { describe, it, expect, beforeEach, afterEach } from 'vitest';
import { testDatabases } from '../support/databases.js';
import { startTestPortal, type TestPortal } from './support/portal.js';
import { textOf, type Browser } from './support/browser.js';
import { login, NEW_PASSWORD, pathOf } from './support/flows.js';
import { activeMember, followResetLink, lastResetToken, queuedMails } from './support/recovery.js';
import { totpCodeAt } from '../../src/core/credentials/totp/index.js';
import { beginTotpSetup } from '../../src/core/factors/begin-totp-setup.js';
import { confirmTotpSetup } from '../../src/core/factors/confirm-totp-setup.js';
import { totpSealContext } from '../../src/core/factors/totp-seal-context.js';
import { TotpDevice } from '../../src/core/db/entities/index.js';

/**
 * The reset link against the real second-factor pages (DESIGN.md §4 reset vs MFA): a member who
 * still has a factor must use it; one who lost it takes the lost-device path.
 */
describe.each(testDatabases)('reset link and the second factor on $name', (database) => {
  let p: TestPortal;
  beforeEach(async () => {
    p = await startTestPortal(database);
  });
  afterEach(async () => p.stop());

  async function openLinkFor(userId: string): Promise<Browser> {
    const asker = p.browser();
    await asker.get('/password/forgot');
    await asker.post('/password/forgot', { userId });
    const b = p.browser();
    const page = await followResetLink(b, await lastResetToken(p));
    expect(pathOf(page)).toBe('/login/second-factor');
    return b;
  }

  it('a member with an authenticator app must enter its code: no URL gets past it, a wrong code does not, a TOTP code does', async () => {
    const m = await activeMember(p);
    p.clock.advanceSeconds(60); // the set-up used the current step's code
    const b = await openLinkFor(m.userId);
    let page = b.lastPage!;
    expect(textOf(page.body)).toContain('ワンタイムパスワードの入力');
    expect(textOf(page.body)).toContain('スマートデバイスを紛失した場合');
    for (const path of ['/login/password', '/', '/profile', '/login-methods', '/setup/factor', '/login/birth-date']) {
      expect(pathOf(await b.get(path)), path).toBe('/login/second-factor');
    }
    page = await b.post('/login/password', { password: NEW_PASSWORD, passwordConfirm: NEW_PASSWORD, signOutOthers: '1' });
    expect(pathOf(page)).toBe('/login/second-factor');
    const wrong = String((Number(totpCodeAt(m.secret, p.clock.now())) + 1) % 1_000_000).padStart(6, '0');
    page = await b.post('/login/second-factor', { code: wrong });
    expect(page.status).toBe(401);
    expect(textOf(page.body)).toContain('ワンタイムパスワードが正しくありません');
    page = await b.post('/login/second-factor', { code: totpCodeAt(m.secret, p.clock.now()) });
    expect(pathOf(page)).toBe('/login/password');
    expect(textOf(page.body)).toContain('パスワードを変更する必要があります。');
    page = await b.post('/login/password', { password: NEW_PASSWORD, passwordConfirm: NEW_PASSWORD, signOutOthers: '1' });
    expect(pathOf(page)).toBe('/');
    expect(textOf(page.body)).toContain('ログアウト');
    // Nothing was removed: the device still logs in.
    expect(await p.core.db.em().fork().count(TotpDevice, { member: m.memberId })).toBe(1);
  });

  it('with several devices the member chooses one, and its code gets through', async () => {
    const m = await activeMember(p);
    p.clock.advanceSeconds(60);
    const setup = await beginTotpSetup(p.core, { societyId: p.society.id, memberId: m.memberId, ip: null });
    const second = p.core.secretBox.open(setup.secretEnc, totpSealContext(p.society.id, m.memberId));
    await confirmTotpSetup(p.core, { societyId: p.society.id, memberId: m.memberId, ip: null }, { secretEnc: setup.secretEnc, code: totpCodeAt(second, p.clock.now()), deviceName: '会社用' });
    p.clock.advanceSeconds(60);
    const b = await openLinkFor(m.userId);
    expect(textOf(b.lastPage!.body)).toContain('会社用');
    const devices = await p.core.db
      .em()
      .fork()
      .find(TotpDevice, { member: m.memberId }, { orderBy: { id: 'asc' } });
    const page = await b.post('/login/second-factor', { deviceId: String(devices[1]!.id), code: totpCodeAt(second, p.clock.now()) });
    expect(pathOf(page)).toBe('/login/password');
  });

  it('a lost device: birth date, then a new authenticator app replaces the old one (notices queued), then the new password', async () => {
    const m = await activeMember(p);
    p.clock.advanceSeconds(60);
    const b = await openLinkFor(m.userId);
    let page = await b.post('/login/second-factor/lost-device', { kind: 'otp' });
    expect(pathOf(page)).toBe('/login/birth-date');
    page = await b.post('/login/birth-date', { birthDate: '19790823' });
    expect(textOf(page.body)).toContain('生年月日が正しくありません。');
    page = await b.post('/login/birth-date', { birthDate: '19790822' });
    expect(pathOf(page)).toBe('/setup/factor');
    expect(pathOf(await b.get('/login/password'))).toBe('/setup/factor');
    const key = /<code id="otp-key">([^<]+)<\/code>/.exec(page.body)![1]!;
    page = await b.post('/setup/factor', { code: totpCodeAt(key, p.clock.now()), deviceName: 'Android' });
    expect(pathOf(page)).toBe('/login/password');
    const devices = await p.core.db.em().fork().find(TotpDevice, { member: m.memberId });
    expect(devices.map((d) => d.name)).toEqual(['Android']);
    expect((await queuedMails(p, 'factor-removed')).map((x) => x.text).join()).toContain('iPhone');
    expect((await queuedMails(p, 'factor-added')).at(-1)!.text).toContain('Android');
    page = await b.post('/login/password', { password: NEW_PASSWORD, passwordConfirm: NEW_PASSWORD, signOutOthers: '1' });
    expect(pathOf(page)).toBe('/');
    // The old app's codes no longer log in; the new one's do.
    p.clock.advanceSeconds(60);
    const again = p.browser();
    expect(pathOf(await login(again, m.userId, NEW_PASSWORD))).toBe('/login/second-factor');
    expect((await again.post('/login/second-factor', { code: totpCodeAt(m.secret, p.clock.now()) })).status).toBe(401);
    expect(pathOf(await again.post('/login/second-factor', { code: totpCodeAt(key, p.clock.now()) }))).toBe('/');
  });

  it('an ordinary login offers no lost-device way round the second factor', async () => {
    const m = await activeMember(p);
    const b = p.browser();
    const page = await login(b, m.userId, m.password);
    expect(pathOf(page)).toBe('/login/second-factor');
    expect(textOf(page.body)).not.toContain('スマートデバイスを紛失した場合');
    expect(pathOf(await b.post('/login/second-factor/lost-device', { kind: 'otp' }))).toBe('/login/second-factor');
    expect(pathOf(await b.get('/login/birth-date'))).toBe('/login/second-factor');
  });
});
