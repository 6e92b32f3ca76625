import { describe, it, expect, beforeEach, afterEach } from 'vitest';
import { testDatabases } from '../support/databases.js';
import { startTestPortal, type TestPortal } from './support/portal.js';
import { activeOtpMember, loginWithOtp } from './support/second-factor.js';
import { queuedMails } from './support/recovery.js';
import { KnownDevice } from '../../src/core/db/entities/index.js';

/**
 * Issue 13: the device cookie and the new-device notice over HTTP — only a hash of the cookie is
 * stored, a known browser mails nothing, and the society setting `newDeviceNotice` turns it off.
 * (The real-browser version with SMTP delivery: test/e2e/member-sessions.test.ts.)
 */
describe.each(testDatabases)('new-device notice on $name', (database) => {
  let p: TestPortal;
  beforeEach(async () => {
    p = await startTestPortal(database);
  });
  afterEach(async () => p.stop());

  it('stores the device cookie hashed, mails a notice for a new browser only, and not when the society turned it off', async () => {
    const m = await activeOtpMember(p);
    expect(await queuedMails(p, 'new-device')).toHaveLength(0); // the first browser ever
    const second = p.browser();
    await loginWithOtp(p, second, m);
    const cookie = second.jar.get('kosmo_device')!;
    expect(cookie).toMatch(/^[A-Za-z0-9_-]{43}$/);
    const rows = await p.core.db.em().fork().find(KnownDevice, { member: m.memberId });
    expect(rows).toHaveLength(2);
    for (const r of rows) {
      expect(r.deviceHash).toMatch(/^[0-9a-f]{64}$/);
      expect(r.deviceHash).not.toContain(cookie);
    }
    const notices = await queuedMails(p, 'new-device');
    expect(notices).toHaveLength(1);
    expect(notices[0]!.text).toContain('IPアドレス: 127.0.0.1');

    await second.get('/logout');
    await second.post('/logout', {});
    p.clock.advanceSeconds(30);
    await loginWithOtp(p, second, m); // known now
    expect(await queuedMails(p, 'new-device')).toHaveLength(1);

    await p.setSetting('newDeviceNotice', 'false');
    p.clock.advanceSeconds(30);
    await loginWithOtp(p, p.browser(), m);
    expect(await queuedMails(p, 'new-device')).toHaveLength(1);
    expect(await p.core.db.em().fork().count(KnownDevice, { member: m.memberId })).toBe(3);
  });

  it('a made-up device cookie is not adopted: the browser gets a fresh value when its login completes', async () => {
    const m = await activeOtpMember(p);
    const b = p.browser();
    b.jar.set('kosmo_device', 'A'.repeat(43));
    await loginWithOtp(p, b, m);
    expect(await queuedMails(p, 'new-device')).toHaveLength(1);
    const fresh = b.jar.get('kosmo_device')!;
    expect(fresh).toMatch(/^[A-Za-z0-9_-]{43}$/);
    expect(fresh).not.toBe('A'.repeat(43));
  });
});
