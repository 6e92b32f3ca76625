import { describe, it, expect, beforeAll, afterAll, beforeEach, afterEach } from 'vitest';
import { testDatabases } from '../support/databases.js';
import { startSmtpServer, type ReceivedMail, type TestSmtpServer } from '../support/smtp.js';
import { startTestPortal, type TestPortal } from './support/portal.js';
import { textOf } from './support/browser.js';
import { login, NEW_PASSWORD, pathOf } from './support/flows.js';
import { activeMember, resetTokenIn } from './support/recovery.js';
import { loadConfig } from '../../src/core/config.js';
import { createCore } from '../../src/core/context.js';
import { openDatabase } from '../../src/core/db/orm.js';
import { createMailTransport, SENT_PLACEHOLDER } from '../../src/core/mail/index.js';
import { startPortal } from '../../src/portal/server.js';
import { silentLogger } from '../../src/portal/logger.js';
import { totpCodeAt } from '../../src/core/credentials/totp/index.js';
import { MailMessage } from '../../src/core/db/entities/index.js';

async function until(cond: () => boolean | Promise<boolean>, what: string, ms = 20_000): Promise<void> {
  const end = Date.now() + ms;
  while (!(await cond())) {
    if (Date.now() > end) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 10));
  }
}

/**
 * The mails of issue 5 end to end: the portal's own mail worker (as `kosmo serve` runs it) sends
 * them through nodemailer to a real SMTP server on loopback, configured by KOSMO_SMTP_URL.
 */
describe.each(testDatabases)('portal mail through a real SMTP server on $name', (database) => {
  let smtp: TestSmtpServer;
  let p: TestPortal;
  beforeAll(async () => {
    smtp = await startSmtpServer();
  });
  afterAll(async () => smtp.close());

  const smtpConfig = () => loadConfig({ dataDir: '/nonexistent-kosmo-test', databaseUrl: 'sqlite::memory:' }, { KOSMO_SMTP_URL: smtp.url });
  const startWithMail = (extra: Parameters<typeof startTestPortal>[1] = {}) => startTestPortal(database, { ...extra, mail: { transport: createMailTransport(smtpConfig()), intervalMs: 50 } });

  beforeEach(async () => {
    smtp.received.length = 0;
    smtp.reject(null);
    smtp.setDelay(0);
    smtp.onDataStart(null);
    p = await startWithMail();
    p.core.config = { ...p.core.config, smtpUrl: smtp.url };
  });
  afterEach(async () => {
    await smtp.start().catch(() => undefined);
    await p.stop();
  });

  const arrived = (pred: (m: ReceivedMail) => boolean) => smtp.received.filter(pred);
  async function mailTo(to: string, subjectPart: string, textPart = ''): Promise<ReceivedMail> {
    const match = (m: ReceivedMail) => m.envelopeTo.includes(to) && m.parsed.subject.includes(subjectPart) && m.parsed.text.includes(textPart);
    await until(() => arrived(match).length > 0, `${subjectPart} to ${to}`);
    return arrived(match).at(-1)!;
  }
  /**
   * Waits until the queue is empty (setting members up queues "factor added" notices), then starts
   * the count afresh; returns the last mail id so far.
   */
  async function settle(): Promise<number> {
    await until(async () => (await p.core.db.em().fork().count(MailMessage, { status: 'pending' })) === 0, 'an empty queue');
    smtp.received.length = 0;
    return (
      (
        await p.core.db
          .em()
          .fork()
          .find(MailMessage, {}, { orderBy: { id: 'desc' }, limit: 1 })
      )[0]?.id ?? 0
    );
  }
  async function forgot(userId: string) {
    const b = p.browser();
    await b.get('/password/forgot');
    await b.post('/password/forgot', { userId });
  }

  it('the reset link arrives at once, works when followed, and the password-changed notice follows', async () => {
    const m = await activeMember(p);
    p.clock.advanceSeconds(60);
    await forgot(m.userId);
    const mail = await mailTo(m.email, 'パスワード再設定のご案内');
    expect(mail.parsed.subject).toBe('【大和総研健保】パスワード再設定のご案内');
    expect(mail.parsed.from).toContain('no-reply@localhost');
    expect(mail.parsed.from).toContain('大和総研健保');
    expect(mail.envelopeTo).toEqual([m.email]);
    expect(mail.parsed.headers.get('auto-submitted')).toBe('auto-generated');
    const token = resetTokenIn(mail.parsed.text);
    expect(mail.parsed.text).toContain(`${p.url}/password/reset/${token}`);
    expect(mail.parsed.text).toContain('パスワードをリセット');
    expect(mail.parsed.text).toContain('5分間');
    expect(mail.parsed.html).toContain(`href="${p.url}/password/reset/${token}"`);
    // Once sent (the row is marked right after the server's answer), the link is no longer in the database.
    await until(async () => (await p.core.db.em().fork().find(MailMessage, { kind: 'password-reset', status: 'sent' })).length === 1, 'the row marked sent');
    const rows = await p.core.db.em().fork().find(MailMessage, { kind: 'password-reset' });
    expect(rows.map((r) => [r.status, r.bodyText])).toEqual([['sent', SENT_PLACEHOLDER]]);

    const b = p.browser();
    expect((await b.get(new URL(mail.parsed.text.match(/https?:\/\/\S+\/password\/reset\/\S+/)![0]!).pathname)).status).toBe(200);
    expect(pathOf(await b.post('/password/reset', { token }))).toBe('/login/second-factor');
    expect(pathOf(await b.post('/login/second-factor', { code: totpCodeAt(m.secret, p.clock.now()) }))).toBe('/login/password');
    expect(pathOf(await b.post('/login/password', { password: NEW_PASSWORD, passwordConfirm: NEW_PASSWORD, signOutOthers: '1' }))).toBe('/');
    const changed = await mailTo(m.email, 'パスワード変更のお知らせ');
    expect(changed.parsed.text).toContain('加入者ページのパスワードが変更されました。');
    expect(changed.parsed.text).not.toContain(NEW_PASSWORD);
  });

  it('the user-ID reminder arrives only on a match and carries the user ID', async () => {
    const m = await activeMember(p);
    const b = p.browser();
    await b.get('/user-id/forgot');
    await b.post('/user-id/forgot', { birthDate: '19790821', email: m.email });
    await b.get('/user-id/forgot');
    await b.post('/user-id/forgot', { birthDate: '19790822', email: m.email });
    const mail = await mailTo(m.email, 'ユーザIDのお知らせ');
    expect(mail.parsed.text).toContain(`ユーザID：${m.userId}`);
    await new Promise((r) => setTimeout(r, 300));
    expect(arrived((x) => x.parsed.subject.includes('ユーザIDのお知らせ'))).toHaveLength(1);
  });

  it('the lost-device path mails "factor removed" and "factor added"', async () => {
    const m = await activeMember(p);
    p.clock.advanceSeconds(60);
    await forgot(m.userId);
    const token = resetTokenIn((await mailTo(m.email, 'パスワード再設定のご案内')).parsed.text);
    const b = p.browser();
    await b.get(`/password/reset/${token}`);
    await b.post('/password/reset', { token });
    await b.post('/login/second-factor/lost-device', { kind: 'otp' });
    const setup = await b.post('/login/birth-date', { birthDate: '19790822' });
    const key = /<code id="otp-key">([^<]+)<\/code>/.exec(setup.body)![1]!;
    expect(pathOf(await b.post('/setup/factor', { code: totpCodeAt(key, p.clock.now()), deviceName: 'Pixel' }))).toBe('/login/password');
    expect((await mailTo(m.email, '二要素認証の設定削除のお知らせ')).parsed.text).toContain('「iPhone」');
    expect((await mailTo(m.email, '二要素認証の設定追加のお知らせ', '「Pixel」')).parsed.text).toContain('加入者ページの二要素認証に「Pixel」が追加されました。');
  });

  it('locking the account by failed logins mails the lock notice', async () => {
    const m = await activeMember(p);
    // One browser plays the many clients of a distributed attack: without the smart lockout's
    // per-client block (test/portal/smart-lockout.test.ts) it reaches the account's lock.
    await p.setSetting('lockout.clientLockAt', '100');
    const b = p.browser();
    await b.get('/login');
    for (let i = 0; i < 20; i++) {
      p.clock.advanceSeconds(16 * 60); // past any back-off
      expect((await b.post('/login', { userId: m.userId, password: 'Wrong-Password-1' })).status).toBe(401);
    }
    const mail = await mailTo(m.email, 'アカウントロックのお知らせ');
    expect(mail.parsed.text).toContain('アカウントをロックいたしました');
  });

  it('an email change notifies the old address, with the new one masked', async () => {
    const m = await activeMember(p);
    p.clock.advanceSeconds(60);
    const b = p.browser();
    await login(b, m.userId, m.password);
    expect(pathOf(await b.post('/login/second-factor', { code: totpCodeAt(m.secret, p.clock.now()) }))).toBe('/');
    await b.get('/profile/email');
    expect(pathOf(await b.post('/profile/email', { email: 'fresh.box@example.org', signOutOthers: '1' }))).toBe('/profile');
    const mail = await mailTo(m.email, 'メールアドレス変更のお知らせ');
    expect(mail.envelopeTo).toEqual([m.email]);
    expect(mail.parsed.text).toContain('f***@example.org');
    expect(mail.raw).not.toContain('fresh.box@example.org');
    expect(arrived((x) => x.envelopeTo.includes('fresh.box@example.org'))).toHaveLength(0);
  });

  it('an SMTP outage, then recovery: every mail queued meanwhile is delivered exactly once', async () => {
    const members = [await activeMember(p), await activeMember(p), await activeMember(p)];
    const before = await settle();
    await smtp.stop();
    for (const m of members) await forgot(m.userId);
    const b = p.browser();
    await b.get('/user-id/forgot');
    await b.post('/user-id/forgot', { birthDate: '19790822', email: members[0]!.email });
    const rows = () =>
      p.core.db
        .em()
        .fork()
        .find(MailMessage, { id: { $gt: before } });
    expect(await rows()).toHaveLength(4);
    await until(async () => (await rows()).every((r) => r.attempts >= 1 && r.lastError !== null), 'a first, failed attempt at each mail');
    expect((await rows()).every((r) => r.status === 'pending' && r.lastError)).toBe(true);
    expect(smtp.received).toHaveLength(0);

    // Back, but rejecting with a temporary failure for a while.
    await smtp.start();
    smtp.reject(451, 'Try again later');
    p.clock.advanceSeconds(31);
    await until(async () => (await rows()).every((r) => r.attempts >= 2 && /451/.test(r.lastError ?? '')), 'a second, rejected attempt');
    expect(smtp.received).toHaveLength(0);

    smtp.reject(null);
    p.clock.advanceSeconds(61);
    await until(async () => (await rows()).every((r) => r.status === 'sent'), 'delivery');
    await new Promise((r) => setTimeout(r, 300)); // more polls: nothing goes out twice
    expect(smtp.received).toHaveLength(4);
    expect([...smtp.countByMessageId().values()]).toEqual([1, 1, 1, 1]);
    for (const m of members) expect(arrived((x) => x.envelopeTo.includes(m.email) && x.parsed.subject.includes('パスワード再設定'))).toHaveLength(1);
    // Each link arrived intact and still opens (within its 5 minutes).
    const last = arrived((x) => x.envelopeTo.includes(members[2]!.email))[0]!;
    const c = p.browser();
    expect((await c.get(`/password/reset/${resetTokenIn(last.parsed.text)}`)).status).toBe(200);
  });

  it('shutdown while a slow server is taking a mail: the mail finishes, nothing is lost or sent twice', async () => {
    const m = await activeMember(p);
    const before = await settle();
    smtp.setDelay(400);
    let closing: Promise<void> | null = null;
    smtp.onDataStart(() => {
      closing ??= p.portal.close();
    });
    const b = p.browser();
    await b.get('/password/forgot');
    expect((await b.post('/password/forgot', { userId: m.userId }, { follow: false })).status).toBe(303);
    await until(() => closing !== null, 'the DATA command');
    await closing;
    expect(smtp.received).toHaveLength(1);
    const rows = await p.core.db
      .em()
      .fork()
      .find(MailMessage, { id: { $gt: before } });
    expect(rows.map((r) => [r.kind, r.status])).toEqual([['password-reset', 'sent']]);
  });

  it('a restart resumes the queue: mail that failed before a shutdown is delivered by the next process', async () => {
    const m = await activeMember(p);
    await settle();
    await smtp.stop();
    await forgot(m.userId);
    await until(async () => (await p.core.db.em().fork().findOneOrFail(MailMessage, { kind: 'password-reset' })).attempts === 1, 'a failed attempt');
    await p.portal.close();
    await smtp.start();
    // A new process: its own ORM, its own worker, on the same database.
    const db = await openDatabase(p.core.config.databaseUrl);
    const core = await createCore(p.core.config, { db, clock: p.clock, hasher: p.core.hasher, secretBox: p.core.secretBox });
    const again = await startPortal(core, { port: 0, log: silentLogger, mail: { transport: createMailTransport(smtpConfig()), intervalMs: 50 } });
    try {
      p.clock.advanceSeconds(31);
      const mail = await mailTo(m.email, 'パスワード再設定のご案内');
      expect(resetTokenIn(mail.parsed.text)).toHaveLength(43);
      expect(smtp.received).toHaveLength(1);
    } finally {
      await again.close();
      await db.close();
    }
  });

  it('the request that queued a mail wakes the worker: no wait for the next poll', async () => {
    await p.stop();
    p = await startTestPortal(database, { mail: { transport: createMailTransport(smtpConfig()), intervalMs: 10 * 60_000 } });
    const m = await activeMember(p);
    await forgot(m.userId);
    const started = Date.now();
    await mailTo(m.email, 'パスワード再設定のご案内');
    expect(Date.now() - started).toBeLessThan(5_000);
  });

  it('a reset request page answers the same while the mail server is down', async () => {
    const m = await activeMember(p);
    await smtp.stop();
    const b = p.browser();
    await b.get('/password/forgot');
    const page = await b.post('/password/forgot', { userId: m.userId });
    expect(pathOf(page)).toBe('/login');
    expect(textOf(page.body)).toContain('パスワード再設定のご案内をメールでお送りしました。');
  });
});
