import { describe, it, expect, beforeEach, afterEach } from 'vitest';
import { testDatabases } from '../support/databases.js';
import { startTestPortal, type TestPortal } from './support/portal.js';
import { textOf, type Browser } from './support/browser.js';
import { pathOf } from './support/flows.js';
import { activeMember, followResetLink, lastResetToken } from './support/recovery.js';
import { createRecoveryCodes } from '../../src/core/recovery-codes/create-recovery-codes.js';

/**
 * Issue 13, society setting `recoveryCodes.lostDevice`: whether a password reset's second-factor
 * step takes a recovery code (`accept`), and whether the lost-device path (reset link + birth date)
 * also requires one (`require`). Default `off`: the reset path as before.
 */
describe.each(testDatabases)('recovery codes in the password reset on $name', (database) => {
  let p: TestPortal;
  let m: Awaited<ReturnType<typeof activeMember>>;
  let codes: string[];
  beforeEach(async () => {
    p = await startTestPortal(database);
    m = await activeMember(p);
    codes = (await createRecoveryCodes(p.core, { societyId: p.society.id, memberId: m.memberId, ip: null })).codes;
  });
  afterEach(async () => p.stop());

  async function openLink(): Promise<Browser> {
    const asker = p.browser();
    await asker.get('/password/forgot');
    await asker.post('/password/forgot', { userId: m.userId });
    const b = p.browser();
    expect(pathOf(await followResetLink(b, await lastResetToken(p)))).toBe('/login/second-factor');
    return b;
  }
  const lostDevice = (b: Browser) => b.post('/login/second-factor/lost-device', { kind: 'otp' });

  it('off (default): no recovery code in the reset; the lost-device path is birth date, then a new factor', async () => {
    const b = await openLink();
    expect(b.lastPage!.body).not.toContain('リカバリーコードを使用する');
    expect(pathOf(await b.get('/login/second-factor/recovery-code'))).toBe('/login/second-factor');
    expect(pathOf(await b.post('/login/second-factor/recovery-code', { code: codes[0]! }))).toBe('/login/second-factor');
    expect(pathOf(await b.get('/login/recovery-code'))).toBe('/login/second-factor');
    expect(pathOf(await lostDevice(b))).toBe('/login/birth-date');
    expect(pathOf(await b.post('/login/birth-date', { birthDate: '19790822' }))).toBe('/setup/factor');
  });

  it('accept: the reset’s second-factor step takes a recovery code, and goes on to the new password', async () => {
    await p.setSetting('recoveryCodes.lostDevice', 'accept');
    const b = await openLink();
    expect(b.lastPage!.body).toContain('リカバリーコードを使用する');
    await b.get('/login/second-factor/recovery-code');
    const page = await b.post('/login/second-factor/recovery-code', { code: codes[0]! });
    expect(pathOf(page)).toBe('/login/password');
    expect(textOf(page.body)).toContain('パスワードを変更する必要があります。');
  });

  it('require: after the birth date the lost-device path asks for a recovery code; a wrong one is refused, a right one leads to the new factor', async () => {
    await p.setSetting('recoveryCodes.lostDevice', 'require');
    const b = await openLink();
    expect(pathOf(await lostDevice(b))).toBe('/login/birth-date');
    let page = await b.post('/login/birth-date', { birthDate: '19790822' });
    expect(pathOf(page)).toBe('/login/recovery-code');
    expect(textOf(page.body)).toContain('リカバリーコードの入力');
    // No URL gets past it.
    expect(pathOf(await b.get('/setup/factor'))).toBe('/login/recovery-code');
    page = await b.post('/login/recovery-code', { code: 'aaaa-bbbb-cccc' });
    expect(page.status).toBe(401);
    expect(textOf(page.body)).toContain('リカバリーコードが正しくないか、既に使用されています。');
    page = await b.post('/login/recovery-code', { code: codes[3]! });
    expect(pathOf(page)).toBe('/setup/factor');
  });
});
