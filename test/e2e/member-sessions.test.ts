/**
 * Issue 13 in real Chromium: ログイン中の端末 (two browsers signed in, the first lists both and signs
 * the second out) and the new-device notice (a fresh browser mails one, a known browser none),
 * through the real portal, its mail worker and a real SMTP server on loopback; SQLite and
 * PostgreSQL.
 */
import type { Browser, BrowserContext, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { testDatabases } from '../support/databases.js';
import { startSmtpServer, type TestSmtpServer } from '../support/smtp.js';
import { createTestCore, STAFF, type TestCore } from '../support/core.js';
import { activeMember } from '../portal/support/recovery.js';
import { startPortal, type RunningPortal } from '../../src/portal/server.js';
import { publishTerms } from '../../src/core/terms/publish-terms.js';
import { createMailTransport } from '../../src/core/mail/index.js';
import { loadConfig } from '../../src/core/config.js';
import { totpCodeAt } from '../../src/core/credentials/totp/index.js';
import { queryAudit } from '../../src/core/audit/query-audit.js';
import { MailMessage } from '../../src/core/db/entities/index.js';
import { launchBrowser } from './support/browser.js';

const WINDOWS_CHROME = 'Mozilla/5.0 (Windows NT 10.0; Win64; x64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/131.0.0.0 Safari/537.36';
const IPHONE_SAFARI = 'Mozilla/5.0 (iPhone; CPU iPhone OS 18_1 like Mac OS X) AppleWebKit/605.1.15 (KHTML, like Gecko) Version/18.1 Mobile/15E148 Safari/604.1';
const ANDROID_CHROME = 'Mozilla/5.0 (Linux; Android 15; Pixel 9) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/131.0.0.0 Mobile Safari/537.36';
const NOTICE = '新しい端末からのログインのお知らせ';

describe.each(testDatabases)('my sessions and new-device notices in Chromium on $name', (database) => {
  let t: TestCore;
  let smtp: TestSmtpServer;
  let portal: RunningPortal;
  let browser: Browser;
  let member: { userId: string; password: string; secret: string; email: string; memberId: number };
  const contexts: BrowserContext[] = [];

  beforeAll(async () => {
    smtp = await startSmtpServer();
    t = await createTestCore(database);
    await publishTerms(t.core, STAFF, { societyId: t.society.id, title: '利用規約', body: '第1条(目的)' });
    member = await activeMember(t);
    const transport = createMailTransport(loadConfig({ dataDir: '/nonexistent-kosmo-test', databaseUrl: 'sqlite::memory:' }, { KOSMO_SMTP_URL: smtp.url }));
    portal = await startPortal(t.core, { host: '127.0.0.1', port: 0, log: { info: () => {}, error: () => {} }, mail: { transport, intervalMs: 50 } });
    browser = await launchBrowser();
  });

  afterAll(async () => {
    await browser?.close();
    await portal?.close();
    await t?.close();
    await smtp?.close();
  });

  async function newBrowser(userAgent: string): Promise<Page> {
    const context = await browser.newContext({ userAgent });
    contexts.push(context);
    return context.newPage();
  }

  const pathOf = (page: Page) => new URL(page.url()).pathname;

  async function submit(page: Page, selector = 'button[type=submit]'): Promise<void> {
    await Promise.all([page.waitForNavigation(), page.click(selector)]);
  }

  /** Password, then the authenticator app's current code (the clock moves to a fresh step first). */
  async function signIn(page: Page, opts: { remember?: boolean } = {}): Promise<void> {
    await page.goto(`${portal.url}/login`);
    await page.fill('#userId', member.userId);
    await page.fill('#password', member.password);
    if (opts.remember) await page.check('#remember');
    await submit(page);
    expect(pathOf(page)).toBe('/login/second-factor');
    t.clock.advanceSeconds(30);
    await page.fill('#code', totpCodeAt(member.secret, t.clock.now()));
    await submit(page);
    expect(pathOf(page)).toBe('/');
  }

  const notices = () => smtp.received.filter((m) => m.parsed.subject.includes(NOTICE));

  /** Mail the worker had queued before this point has been delivered (the notice, if any). */
  async function settled(): Promise<void> {
    const end = Date.now() + 20_000;
    while ((await t.core.db.em().fork().count(MailMessage, { status: 'pending' })) > 0) {
      if (Date.now() > end) throw new Error('mail queue did not drain');
      await new Promise((r) => setTimeout(r, 20));
    }
  }

  let first: Page;
  let second: Page;

  it('the first browser ever signed in mails no notice; a second, new one does', async () => {
    first = await newBrowser(WINDOWS_CHROME);
    await signIn(first);
    await settled();
    expect(notices()).toHaveLength(0);
    const cookies = await first.context().cookies();
    const device = cookies.find((c) => c.name === 'kosmo_device');
    expect(device).toMatchObject({ httpOnly: true, sameSite: 'Lax' });
    expect(device!.expires).toBeGreaterThan(Date.now() / 1000 + 300 * 24 * 3600);

    second = await newBrowser(IPHONE_SAFARI);
    await signIn(second, { remember: true });
    await settled();
    expect(notices()).toHaveLength(1);
    const mail = notices()[0]!;
    expect(mail.envelopeTo).toEqual([member.email]);
    expect(mail.parsed.text).toContain('ブラウザ: Safari 18(iOS 18.1)');
    expect(mail.parsed.text).toContain('IPアドレス: 127.0.0.1');
    // The fixed clock started at 2026-04-01T00:00:00Z and moved 2 × 30 s: 09:01 in Japan.
    expect(mail.parsed.text).toContain('2026年4月1日 9時01分(日本時間)');
    expect(mail.parsed.text).toContain('パスワードを変更');
  });

  it('ログイン中の端末 lists both browsers; the first signs the second out, whose next request goes to the login page', async () => {
    await first.goto(`${portal.url}/login-methods`);
    await Promise.all([first.waitForNavigation(), first.click('#my-sessions-link')]);
    expect(pathOf(first)).toBe('/login-methods/sessions');
    expect(await first.textContent('h1')).toBe('ログイン中の端末');
    const items = await first.$$eval('.session-item', (els) =>
      els.map((el) => ({
        name: el.querySelector('.factor-list__name')!.textContent!.replace(/\s+/g, ' ').trim(),
        ip: el.querySelector('.session-item__ip')!.textContent,
        remember: el.querySelector('.session-item__remember')!.textContent,
      })),
    );
    expect(items).toEqual([
      { name: 'Chrome 131(Windows 10) この端末', ip: '127.0.0.1', remember: 'なし' },
      { name: 'Safari 18(iOS 18.1)', ip: '127.0.0.1', remember: 'あり' },
    ]);
    expect(await first.textContent('#session-list')).toContain('ログイン日時: 2026/04/01 09:0');

    await submit(first, '.session-item:nth-child(2) button[type=submit]');
    expect(pathOf(first)).toBe('/login-methods/sessions');
    expect(await first.textContent('#flash')).toContain('選択した端末をログアウトしました。');
    expect(await first.$$('.session-item')).toHaveLength(1);

    await second.goto(`${portal.url}/login-methods`);
    expect(pathOf(second)).toBe('/login');
    const audited = await queryAudit(t.core, t.society.id, { action: 'sessions.revoke_one' });
    expect(audited).toHaveLength(1);
  });

  it('a third, fresh browser mails a notice; known browsers signing in again mail none', async () => {
    const third = await newBrowser(ANDROID_CHROME);
    await signIn(third);
    await settled();
    expect(notices()).toHaveLength(2);
    expect(notices()[1]!.parsed.text).toContain('ブラウザ: Chrome 131(Android 15)');

    // The second browser was signed out, but it is still a known device: no notice.
    await signIn(second);
    // The first browser logs out and in again.
    await first.goto(`${portal.url}/logout`);
    await submit(first);
    await signIn(first);
    await settled();
    expect(notices()).toHaveLength(2);
  });

  it('他の端末をすべてログアウト ends every other browser and keeps this one', async () => {
    await first.goto(`${portal.url}/login-methods/sessions`);
    expect(await first.$$('.session-item')).toHaveLength(3);
    await submit(first, '#logout-others');
    expect(await first.$$('.session-item')).toHaveLength(1);
    expect(await first.textContent('.session-item')).toContain('この端末');
    await second.goto(`${portal.url}/`);
    expect(await second.textContent('.account')).toContain('ログイン');
  });
});
