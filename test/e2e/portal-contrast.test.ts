/**
 * Issue 12 point 6 — contrast (WCAG 2.2 AA) on every page of the first-login, login, reset and
 * ログイン方法変更 flows, in real Chromium at 360, 390 and 1280 px: axe-core's color-contrast rule
 * for text, computed styles for focus rings and text-field borders (support/a11y.ts).
 *
 * The real portal (startPortal) on 127.0.0.1 with the public URL http://localhost:<port> (a secure
 * context: passkeys work, with a DevTools virtual authenticator). One page for the whole file; the
 * flows run in order: the member of the first login logs in, changes login methods, resets the
 * password. The second factor is passed with real codes computed from the device secrets.
 */
import type { Browser, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { testDatabases } from '../support/databases.js';
import { createTestCore, STAFF, type TestCore } from '../support/core.js';
import { startPortal, type RunningPortal } from '../../src/portal/server.js';
import { issueMember } from '../../src/core/accounts/issue-member.js';
import { publishTerms } from '../../src/core/terms/publish-terms.js';
import { updateSocietySetting } from '../../src/core/society/update-society-setting.js';
import { totpCodeAt } from '../../src/core/credentials/totp/index.js';
import { lastResetToken } from '../portal/support/recovery.js';
import { launchBrowser } from './support/browser.js';
import { addVirtualAuthenticator } from './support/virtual-authenticator.js';
import { freePort } from './support/loopback-server.js';
import { contrastIssues, type ContrastIssue } from './support/a11y.js';

const USER_ID = 'yamada.taro';
const PASSWORDS = ['Kosmo-Portal-2026!', 'Kosmo-Reset-2026?', 'Kosmo-Lost-2026#'];

let t: TestCore;
let portal: RunningPortal;
let origin: string;
let browser: Browser;
let page: Page;
let issued: { userId: string; password: string };
/** The seed of the member's authenticator app (read from the set-up page, as a member copies it). */
let secret = '';
let password = PASSWORDS[0]!;
const audited: string[] = [];

const path = () => new URL(page.url()).pathname;

async function submit(selector = 'button[type=submit]'): Promise<void> {
  await Promise.all([page.waitForNavigation(), page.click(selector)]);
}

/** The code the member's app shows now; the portal's clock then moves on (a code is used once). */
function code(seed = secret): string {
  const c = totpCodeAt(seed.replace(/ /g, ''), t.clock.now());
  return c;
}

function nextStep(): void {
  t.clock.advanceSeconds(30);
}

/** Audits the page as it is now and adds what it found to `found`. */
async function audit(found: ContrastIssue[], label: string, opts: { widths?: readonly number[]; scope?: string } = {}): Promise<void> {
  const r = await contrastIssues(page, label, opts);
  found.push(...r.issues);
  audited.push(label);
}

async function passwordLogin(userId: string, pw: string): Promise<void> {
  await page.goto(`${origin}/login`);
  await page.fill('#userId', userId);
  await page.fill('#password', pw);
  await submit();
}

async function logout(): Promise<void> {
  await page.goto(`${origin}/logout`);
  await submit();
}

beforeAll(async () => {
  t = await createTestCore(testDatabases[0]!);
  await publishTerms(t.core, STAFF, { societyId: t.society.id, title: '利用規約', body: '第1条(目的)\nこの規約は加入者ページの利用条件を定めます。' });
  await updateSocietySetting(t.core, STAFF, {
    societyId: t.society.id,
    key: 'serviceMenu',
    value: JSON.stringify([
      { title: '医療費のお知らせ', url: 'https://example.jp/iryohi', description: '医療機関の受診記録と医療費を確認できます' },
      { title: '健診・人間ドックの予約', url: '/kenshin' },
    ]),
  });
  // The CDP virtual authenticator answers a conditional-mediation request at once (it has no
  // suggestion list to wait on), so with passkey autofill on (issue 13) every visit to /login after
  // the passkey exists would sign in by itself. These flows are the ID + password path, which
  // passkeyFirst leaves unchanged; autofill has its own test (test/e2e/passkey-autofill.test.ts).
  await updateSocietySetting(t.core, STAFF, { societyId: t.society.id, key: 'passkeyFirst', value: 'false' });
  const r = await issueMember(t.core, STAFF, { societyId: t.society.id, member: { name: '山田 太郎', kana: 'ヤマダ タロウ', birthDate: '1979-08-22', email: 'taro@example.jp' } });
  issued = { userId: r.userId, password: r.password };
  const port = await freePort();
  origin = `http://localhost:${port}`;
  portal = await startPortal(t.core, { host: '127.0.0.1', port, publicUrl: origin, log: { info: () => {}, error: () => {} } });
  browser = await launchBrowser();
  const context = await browser.newContext({ viewport: { width: 390, height: 844 }, locale: 'ja-JP' });
  page = await context.newPage();
  await addVirtualAuthenticator(page);
});

afterAll(async () => {
  await browser?.close();
  await portal?.close();
  await t?.close();
});

// Each flow audits 10–20 pages at three widths: minutes under load, not the default 60 s.
describe('contrast of every page of the flows, at 360, 390 and 1280 px (axe color-contrast + computed focus rings and borders)', { timeout: 300_000 }, () => {
  it('first login: top, login, each step with its error, the OTP set-up, the top page, the menu, logout', async () => {
    const found: ContrastIssue[] = [];
    await page.goto(`${origin}/`);
    await audit(found, 'top');
    await submit('.account__login');
    await audit(found, 'login');
    await page.fill('#userId', 'wrong-user1');
    await page.fill('#password', 'wrong-password');
    await submit();
    await audit(found, 'login (error)');
    await page.fill('#userId', issued.userId);
    await page.fill('#password', issued.password);
    await submit();
    expect(path()).toBe('/login/birth-date');
    await audit(found, 'birth date');
    await page.fill('#birthDate', '1979082');
    await submit();
    await audit(found, 'birth date (error)');
    await page.fill('#birthDate', '19790822');
    await submit();
    expect(path()).toBe('/login/terms');
    await audit(found, 'terms');
    await submit();
    expect(path()).toBe('/login/user-id');
    await audit(found, 'user ID');
    await page.fill('#userId', 'x!');
    await submit();
    await audit(found, 'user ID (error)');
    await page.fill('#userId', USER_ID);
    await page.check('#method-otp');
    await submit();
    expect(path()).toBe('/login/password');
    await audit(found, 'password');
    await page.fill('#password', 'short');
    await page.fill('#passwordConfirm', 'short');
    await submit();
    await audit(found, 'password (error)');
    await page.fill('#password', password);
    await page.fill('#passwordConfirm', password);
    await submit();
    expect(path()).toBe('/login/email');
    await audit(found, 'email');
    await page.fill('#email', 'a.@example.jp');
    await submit();
    await audit(found, 'email (error)');
    await page.fill('#email', 'taro@example.jp');
    await submit();
    expect(path()).toBe('/setup/factor');
    await audit(found, 'OTP set-up');
    if (!(await page.evaluate(() => document.querySelector('details.otp-manual')!.hasAttribute('open')))) await page.click('.otp-manual summary');
    await audit(found, 'OTP set-up (key shown)');
    secret = (await page.textContent('#otp-key'))!;
    await page.fill('#code', '000000');
    await page.fill('#deviceName', 'iPhone');
    await submit();
    await audit(found, 'OTP set-up (error)');
    await page.fill('#code', code());
    await submit();
    nextStep();
    expect(path()).toBe('/');
    await audit(found, 'top page after login');
    await page.setViewportSize({ width: 360, height: 740 });
    await page.click('.menu__button');
    await audit(found, 'menu (open)', { widths: [360, 390], scope: '.menu' });
    await page.keyboard.press('Escape');
    await page.setViewportSize({ width: 390, height: 844 });
    await page.goto(`${origin}/logout`);
    await audit(found, 'logout');
    await submit();
    expect(found).toEqual([]);
  });

  it('login: password, ワンタイムパスワードの入力 (and its error), top page; the 404 page', async () => {
    const found: ContrastIssue[] = [];
    await passwordLogin(USER_ID, password);
    expect(path()).toBe('/login/second-factor');
    await audit(found, 'OTP login');
    await page.fill('#code', '000000');
    await submit();
    await audit(found, 'OTP login (error)');
    await page.fill('#code', code());
    await submit();
    nextStep();
    expect(path()).toBe('/');
    await page.goto(`${origin}/no-such-page`);
    await audit(found, 'not found');
    expect(found).toEqual([]);
  });

  it('ログイン方法変更: list, password update, adding an app and a passkey, delete, profile, email change, re-authentication, FAQ, passkey login', async () => {
    const found: ContrastIssue[] = [];
    await page.goto(`${origin}/login-methods`);
    await audit(found, 'login methods');
    await submit('a[href="/login-methods/password"]');
    await audit(found, 'password update');
    await page.fill('#password', password);
    await page.fill('#passwordConfirm', `${password}x`);
    await submit();
    await audit(found, 'password update (error)');
    await page.goto(`${origin}/login-methods/otp/new`);
    await audit(found, 'add an authenticator app');
    const second = (await page.textContent('#otp-key'))!;
    await page.fill('#code', code(second));
    await page.fill('#deviceName', 'iPhone');
    await submit();
    await audit(found, 'add an authenticator app (name taken)');
    await page.fill('#deviceName', 'iPad');
    await submit();
    expect(path()).toBe('/login-methods');
    await audit(found, 'login methods (added, flash)');
    await page.goto(`${origin}/login-methods/passkey/new`);
    await audit(found, 'passkey registration');
    await Promise.all([page.waitForNavigation(), page.click('#passkey-start')]);
    expect(path()).toBe('/login-methods/passkey/new/label');
    await audit(found, 'passkey label');
    await page.fill('#label', '');
    await submit();
    await audit(found, 'passkey label (error)');
    await page.fill('#label', '私のiPhone');
    await submit();
    expect(path()).toBe('/login-methods');
    const ipad = await page.getAttribute('a[aria-label="「iPad」を削除"]', 'href');
    await submit(`a[href="${ipad}"]`);
    await audit(found, 'delete confirmation');
    await submit();
    expect(path()).toBe('/login-methods');
    await page.goto(`${origin}/profile`);
    await audit(found, 'profile');
    await page.fill('#userId', 'x');
    await submit();
    await audit(found, 'profile (error)');
    await page.goto(`${origin}/profile/email`);
    await audit(found, 'email change');
    await page.fill('#email', '');
    await submit();
    await audit(found, 'email change (error)');
    // Six minutes later a change asks for the password and the code again (§2.9).
    t.clock.advanceSeconds(6 * 60);
    await page.goto(`${origin}/login-methods/password`);
    expect(path()).toBe('/reauth');
    await audit(found, 're-authentication: password');
    await page.fill('#password', 'wrong-password');
    await submit();
    await audit(found, 're-authentication: password (error)');
    await page.fill('#password', password);
    await submit();
    expect(path()).toBe('/reauth/second-factor');
    await audit(found, 're-authentication: OTP');
    await page.fill('#code', code());
    await submit();
    nextStep();
    expect(path()).toBe('/login-methods/password');
    await page.goto(`${origin}/faq`);
    await audit(found, 'FAQ');
    await logout();
    await passwordLogin(USER_ID, password);
    await submit('a[href="/login/second-factor?method=passkey"]');
    await audit(found, 'passkey login');
    await Promise.all([page.waitForNavigation(), page.click('#passkey-start')]);
    expect(path()).toBe('/');
    await logout();
    expect(found).toEqual([]);
  });

  it('reset: forgot password, the link, the code, the new password; the lost-device way; a used link; forgot user ID', async () => {
    const found: ContrastIssue[] = [];
    await page.goto(`${origin}/login`);
    await submit('a[href="/password/forgot"]');
    await audit(found, 'forgot password');
    await submit();
    await audit(found, 'forgot password (error)');
    await page.fill('#userId', USER_ID);
    await submit();
    expect(path()).toBe('/login');
    await audit(found, 'login (mail sent)');
    let token = await lastResetToken(t);
    await page.goto(`${origin}/password/reset/${token}`);
    await audit(found, 'reset link');
    await submit();
    expect(path()).toBe('/login/second-factor');
    await audit(found, 'reset: OTP');
    await page.fill('#code', '000000');
    await submit();
    await audit(found, 'reset: OTP (error)');
    await page.fill('#code', code());
    await submit();
    nextStep();
    expect(path()).toBe('/login/password');
    await audit(found, 'reset: new password');
    await page.fill('#password', PASSWORDS[1]!);
    await page.fill('#passwordConfirm', `${PASSWORDS[1]!}x`);
    await submit();
    await audit(found, 'reset: new password (error)');
    password = PASSWORDS[1]!;
    await page.fill('#password', password);
    await page.fill('#passwordConfirm', password);
    await submit();
    expect(path()).toBe('/');
    await logout();

    await page.goto(`${origin}/password/forgot`);
    await page.fill('#userId', USER_ID);
    await submit();
    const used = token;
    token = await lastResetToken(t);
    await page.goto(`${origin}/password/reset/${token}`);
    await submit();
    await submit('#lost-device button[type=submit]');
    expect(path()).toBe('/login/birth-date');
    await audit(found, 'reset, lost device: birth date');
    await page.fill('#birthDate', '19790822');
    await submit();
    expect(path()).toBe('/setup/factor');
    await audit(found, 'reset, lost device: OTP set-up');
    secret = (await page.textContent('#otp-key'))!;
    await page.fill('#code', code());
    await page.fill('#deviceName', '新しいiPhone');
    await submit();
    nextStep();
    expect(path()).toBe('/login/password');
    password = PASSWORDS[2]!;
    await page.fill('#password', password);
    await page.fill('#passwordConfirm', password);
    await submit();
    expect(path()).toBe('/');
    await logout();

    await page.goto(`${origin}/password/reset/${used}`);
    await audit(found, 'reset link (used)');
    await page.goto(`${origin}/user-id/forgot`);
    await audit(found, 'forgot user ID');
    await page.fill('#birthDate', '1979/02/30');
    await page.fill('#email', 'a.@example.jp');
    await submit();
    await audit(found, 'forgot user ID (error)');
    await page.fill('#birthDate', '19790822');
    await page.fill('#email', 'taro@example.jp');
    await submit();
    expect(path()).toBe('/login');
    await audit(found, 'login (user ID mail sent)');
    expect(found).toEqual([]);
  });

  it('audited every page it names', () => {
    expect(audited.length).toBeGreaterThanOrEqual(50);
    expect(new Set(audited).size).toBe(audited.length);
  });
});
