/**
 * Issue 13 in real Chromium: passkey autofill. The login page's ユーザID field carries
 * `autocomplete="username webauthn"` and starts conditional mediation; with a CDP virtual
 * authenticator (CTAP2, internal, resident key, user verification) holding the member's passkey,
 * the browser answers that request and the member reaches the top page without typing the user ID
 * or the password. The society setting `passkeyFirst` off leaves the page as before.
 */
import type { Browser, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { testDatabases } from '../support/databases.js';
import { createTestCore, STAFF, type TestCore } from '../support/core.js';
import { activeMember } from '../portal/support/recovery.js';
import { startPortal, type RunningPortal } from '../../src/portal/server.js';
import { publishTerms } from '../../src/core/terms/publish-terms.js';
import { totpCodeAt } from '../../src/core/credentials/totp/index.js';
import { queryAudit } from '../../src/core/audit/query-audit.js';
import { updateSocietySetting } from '../../src/core/society/update-society-setting.js';
import { launchBrowser } from './support/browser.js';
import { freePort } from './support/loopback-server.js';
import { addVirtualAuthenticator, type VirtualAuthenticator } from './support/virtual-authenticator.js';

describe.each(testDatabases)('passkey autofill in Chromium on $name', (database) => {
  let t: TestCore;
  let portal: RunningPortal;
  let origin: string;
  let browser: Browser;
  let page: Page;
  let authenticator: VirtualAuthenticator;
  let member: { userId: string; password: string; secret: string; memberId: number };

  beforeAll(async () => {
    t = await createTestCore(database);
    await publishTerms(t.core, STAFF, { societyId: t.society.id, title: '利用規約', body: '第1条(目的)' });
    member = await activeMember(t);
    const port = await freePort();
    origin = `http://localhost:${port}`;
    portal = await startPortal(t.core, { host: '127.0.0.1', port, publicUrl: origin, log: { info: () => {}, error: () => {} } });
    browser = await launchBrowser();
    page = await (await browser.newContext()).newPage();
    authenticator = await addVirtualAuthenticator(page);
  });

  afterAll(async () => {
    await browser?.close();
    await portal?.close();
    await t?.close();
  });

  const pathOf = () => new URL(page.url()).pathname;
  async function submit(selector = 'button[type=submit]'): Promise<void> {
    await Promise.all([page.waitForNavigation(), page.click(selector)]);
  }

  it('a member signed in with ID, password and OTP registers a passkey under ログイン方法変更', async () => {
    // Conditional mediation is not started yet: no passkey on this authenticator, and the request
    // would be aborted by the password form's navigation anyway.
    await page.goto(`${origin}/login`);
    expect(await page.getAttribute('#userId', 'autocomplete')).toBe('username webauthn');
    await page.fill('#userId', member.userId);
    await page.fill('#password', member.password);
    await submit();
    expect(pathOf()).toBe('/login/second-factor');
    t.clock.advanceSeconds(30);
    await page.fill('#code', totpCodeAt(member.secret, t.clock.now()));
    await submit();
    expect(pathOf()).toBe('/');
    await page.goto(`${origin}/login-methods/passkey/new`);
    await submit('#passkey-start');
    expect(pathOf()).toBe('/login-methods/passkey/new/label');
    await page.fill('#label', '私のPC');
    await submit();
    expect(pathOf()).toBe('/login-methods');
    const [credential] = await authenticator.getCredentials();
    expect(credential!.isResidentCredential).toBe(true);
    await page.goto(`${origin}/logout`);
    await submit();
  });

  it('the login page offers the passkey by conditional mediation; picking it reaches the top page without the password', async () => {
    const before = (await authenticator.getCredentials())[0]!.signCount;
    // Records how the page asks for the credential (sessionStorage survives the navigations).
    await page.addInitScript(() => {
      const get = navigator.credentials.get.bind(navigator.credentials);
      navigator.credentials.get = (options?: CredentialRequestOptions) => {
        sessionStorage.setItem('kosmo-test-mediation', String(options?.mediation));
        return get(options);
      };
    });
    // The virtual authenticator answers the conditional request at once (as a member picking the
    // passkey from the suggestions would); the page then posts the answer itself.
    await page.goto(`${origin}/faq`);
    await Promise.all([page.waitForURL((url) => url.pathname === '/', { timeout: 20_000 }), page.goto(`${origin}/login`, { waitUntil: 'commit' })]);
    expect(pathOf()).toBe('/');
    expect(await page.textContent('h1')).toBe('サービスメニュー');
    expect(await page.textContent('.account')).not.toContain('ログイン');
    expect((await authenticator.getCredentials())[0]!.signCount).toBeGreaterThan(before);
    expect(await page.evaluate(() => sessionStorage.getItem('kosmo-test-mediation'))).toBe('conditional');
    const passkey = await queryAudit(t.core, t.society.id, { action: 'login.passkey' });
    expect(passkey.filter((e) => e.outcome === 'success')).toHaveLength(1);
    const password = await queryAudit(t.core, t.society.id, { action: 'login.password' });
    expect(password.filter((e) => e.outcome === 'success')).toHaveLength(1); // only the first login's
    expect(await queryAudit(t.core, t.society.id, { action: 'login.success' })).toHaveLength(2);
    await page.goto(`${origin}/logout`);
    await submit();
  });

  it('with passkeyFirst off the login page is the plain ID + password form, and the passkey path is gone', async () => {
    await updateSocietySetting(t.core, STAFF, { societyId: t.society.id, key: 'passkeyFirst', value: 'false' });
    await page.goto(`${origin}/login`);
    // Give a (wrongly) started ceremony the time to navigate away: nothing must happen.
    await page.waitForTimeout(1500);
    expect(pathOf()).toBe('/login');
    expect(await page.getAttribute('#userId', 'autocomplete')).toBe('username');
    expect(await page.$$eval('script[src]', (els) => els.map((e) => e.getAttribute('src')))).toEqual([]);
    const csrf = await page.inputValue('input[name=_csrf]');
    const res = await page.request.post(`${origin}/login/passkey/options`, { form: { _csrf: csrf }, headers: { origin } });
    expect(res.status()).toBe(503);
  });
});
