/**
 * Issue 12 ("the portal for members in their seventies") in real Chromium: what only a browser
 * shows — layout at 360 / 390 / 1280 px, the page scripts, and the accessible names Chromium
 * computes (points 3, 5, 7, 8; contrast is portal-contrast.test.ts, the rest test/portal/seniors).
 *
 * The real portal on 127.0.0.1 with the public URL http://localhost:<port> (WebAuthn available),
 * a fresh browser context per test; members reach the top page with real OTP codes.
 */
import type { Browser, BrowserContext, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { testDatabases } from '../support/databases.js';
import { createTestCore, STAFF, type TestCore } from '../support/core.js';
import { startPortal, type RunningPortal } from '../../src/portal/server.js';
import { issueMember } from '../../src/core/accounts/issue-member.js';
import { publishTerms } from '../../src/core/terms/publish-terms.js';
import { updateSocietySetting } from '../../src/core/society/update-society-setting.js';
import { totpCodeAt } from '../../src/core/credentials/totp/index.js';
import { launchBrowser } from './support/browser.js';
import { freePort } from './support/loopback-server.js';
import { addVirtualAuthenticator } from './support/virtual-authenticator.js';

const PASSWORD = 'Kosmo-Portal-2026!';

let t: TestCore;
let portal: RunningPortal;
let origin: string;
let browser: Browser;
let serial = 0;

async function newPage(opts: { width?: number; height?: number; javaScriptEnabled?: boolean } = {}): Promise<{ context: BrowserContext; page: Page }> {
  const context = await browser.newContext({ viewport: { width: opts.width ?? 390, height: opts.height ?? 844 }, locale: 'ja-JP', javaScriptEnabled: opts.javaScriptEnabled ?? true });
  return { context, page: await context.newPage() };
}

const pathOf = (page: Page) => new URL(page.url()).pathname;

async function submit(page: Page, selector = 'button[type=submit]'): Promise<void> {
  await Promise.all([page.waitForNavigation(), page.click(selector)]);
}

/** A newly issued member walked through the first login up to the user-ID step. */
async function toUserIdStep(page: Page): Promise<void> {
  serial += 1;
  const r = await issueMember(t.core, STAFF, { societyId: t.society.id, member: { name: '山田 太郎', kana: 'ヤマダ タロウ', birthDate: '1979-08-22', email: `taro${serial}@example.jp` } });
  await page.goto(`${origin}/login`);
  await page.fill('#userId', r.userId);
  await page.fill('#password', r.password);
  await submit(page);
  await page.fill('#birthDate', '19790822');
  await submit(page);
  await submit(page);
  expect(pathOf(page)).toBe('/login/user-id');
}

/** …and on to ワンタイムパスワードの設定. Returns the member's user ID. */
async function toOtpSetup(page: Page): Promise<string> {
  await toUserIdStep(page);
  const userId = `member.${String(serial).padStart(3, '0')}`;
  await page.fill('#userId', userId);
  await page.check('#method-otp');
  await submit(page);
  await page.fill('#password', PASSWORD);
  await page.fill('#passwordConfirm', PASSWORD);
  await submit(page);
  await submit(page);
  expect(pathOf(page)).toBe('/setup/factor');
  return userId;
}

/** …and through the OTP set-up to the top page (device `iPhone`). Returns the ID and the seed. */
async function toTopPage(page: Page): Promise<{ userId: string; secret: string }> {
  const userId = await toOtpSetup(page);
  const secret = (await page.textContent('#otp-key'))!.replace(/ /g, '');
  await page.fill('#code', totpCodeAt(secret, t.clock.now()));
  await page.fill('#deviceName', 'iPhone');
  await submit(page);
  t.clock.advanceSeconds(30);
  expect(pathOf(page)).toBe('/');
  return { userId, secret };
}

/** Names Chromium's accessibility tree gives the elements of a role. */
async function accessibleNames(page: Page, role: string): Promise<string[]> {
  const cdp = await page.context().newCDPSession(page);
  await cdp.send('Accessibility.enable');
  const { nodes } = (await cdp.send('Accessibility.getFullAXTree')) as { nodes: { role?: { value: string }; name?: { value: string }; ignored?: boolean }[] };
  await cdp.detach();
  return nodes.filter((n) => !n.ignored && n.role?.value === role).map((n) => n.name?.value ?? '');
}

/** Characters per rendered line of the element's text. */
function charsPerLine(page: Page, selector: string): Promise<number[]> {
  return page.$eval(selector, (el) => {
    const node = el.firstChild as Text;
    const range = document.createRange();
    const lines = new Map<number, number>();
    for (let i = 0; i < node.length; i++) {
      range.setStart(node, i);
      range.setEnd(node, i + 1);
      const top = Math.round(range.getClientRects()[0]!.top);
      lines.set(top, (lines.get(top) ?? 0) + 1);
    }
    return [...lines.entries()].sort((a, b) => a[0] - b[0]).map((e) => e[1]);
  });
}

/** Left and right edges of the first element matching each selector. */
function edges(page: Page, selectors: string[]): Promise<({ left: number; right: number } | null)[]> {
  return page.evaluate(
    (sels) =>
      sels.map((s) => {
        const r = document.querySelector(s)?.getBoundingClientRect();
        return r ? { left: Math.round(r.left), right: Math.round(r.right) } : null;
      }),
    selectors,
  );
}

beforeAll(async () => {
  t = await createTestCore(testDatabases[0]!);
  await publishTerms(t.core, STAFF, { societyId: t.society.id, title: '利用規約', body: '第1条(目的)\nこの規約は加入者ページの利用条件を定めます。' });
  await updateSocietySetting(t.core, STAFF, {
    societyId: t.society.id,
    key: 'serviceMenu',
    value: JSON.stringify([{ title: '医療費のお知らせ', url: 'https://example.jp/iryohi', description: '医療費を確認できます' }]),
  });
  const port = await freePort();
  origin = `http://localhost:${port}`;
  portal = await startPortal(t.core, { host: '127.0.0.1', port, publicUrl: origin, log: { info: () => {}, error: () => {} } });
  browser = await launchBrowser();
});

afterAll(async () => {
  await browser?.close();
  await portal?.close();
  await t?.close();
});

describe('point 3: the OTP key on a phone, after an error, and copied', { timeout: 180_000 }, () => {
  it('at 360 px the key is shown open and before the QR code; at 1280 px the QR code comes first', async () => {
    const { context, page } = await newPage({ width: 360, height: 740 });
    await toOtpSetup(page);
    expect(await page.$eval('details.otp-manual', (d) => (d as HTMLDetailsElement).open)).toBe(true);
    const phone = await page.evaluate(() => ({ key: document.getElementById('otp-key')!.getBoundingClientRect().top, qr: document.querySelector('.otp-qr')!.getBoundingClientRect().top }));
    expect(phone.key).toBeLessThan(phone.qr);
    await page.setViewportSize({ width: 1280, height: 800 });
    await page.reload();
    expect(await page.$eval('details.otp-manual', (d) => (d as HTMLDetailsElement).open)).toBe(false);
    const pc = await page.evaluate(() => ({ summary: document.querySelector('.otp-manual summary')!.getBoundingClientRect().top, qr: document.querySelector('.otp-qr')!.getBoundingClientRect().top }));
    expect(pc.qr).toBeLessThan(pc.summary);
    await context.close();
  });

  it('キーをコピー puts the key (without the reading spaces) on the clipboard and says so', async () => {
    const { context, page } = await newPage();
    await context.grantPermissions(['clipboard-read', 'clipboard-write'], { origin });
    await toOtpSetup(page);
    // At 390 px the page script has opened the key already.
    if (!(await page.$eval('details.otp-manual', (d) => (d as HTMLDetailsElement).open))) await page.click('.otp-manual summary');
    const key = (await page.textContent('#otp-key'))!;
    expect(await page.isVisible('#otp-copy')).toBe(true);
    await page.click('#otp-copy');
    await page.waitForFunction(() => document.getElementById('otp-copy-status')!.textContent !== '');
    expect(await page.evaluate(() => navigator.clipboard.readText())).toBe(key.replace(/ /g, ''));
    expect(await page.textContent('#otp-copy-status')).toBe('キーをコピーしました。認証アプリに貼り付けてください。');
    await context.close();
  });

  it('without JavaScript, after a wrong code the key is still shown and selectable (no dead copy button)', async () => {
    const { context, page } = await newPage({ width: 360, height: 740, javaScriptEnabled: false });
    await toOtpSetup(page);
    await page.fill('#code', '000000');
    await page.fill('#deviceName', 'iPhone');
    await submit(page);
    expect(await page.textContent('#form-errors')).toContain('認証コードが異なります');
    expect(await page.isVisible('#otp-key')).toBe(true);
    expect(await page.$eval('#otp-key', (el) => getComputedStyle(el).userSelect)).toBe('all');
    expect(await page.isVisible('#otp-copy')).toBe(false);
    await context.close();
  });
});

describe('point 5: OTP認証 is selected when 生体認証 is not available', { timeout: 180_000 }, () => {
  it('no platform authenticator: 生体認証 stays disabled, OTP認証 is selected, and 実行 goes on without an error', async () => {
    const { context, page } = await newPage();
    await toUserIdStep(page);
    await page.waitForFunction(() => document.getElementById('passkey-note')?.hidden === false);
    expect(await page.isDisabled('#method-passkey')).toBe(true);
    expect(await page.isChecked('#method-otp')).toBe(true);
    await page.fill('#userId', `member.x${serial}`);
    await submit(page);
    expect(pathOf(page)).toBe('/login/password');
    await context.close();
  });

  it('with a platform authenticator both can be chosen and neither is preselected', async () => {
    const { context, page } = await newPage();
    await addVirtualAuthenticator(page);
    await toUserIdStep(page);
    await page.waitForSelector('#method-passkey:not([disabled])');
    expect(await page.isChecked('#method-otp')).toBe(false);
    expect(await page.isChecked('#method-passkey')).toBe(false);
    await context.close();
  });
});

describe('point 7: accessible names', { timeout: 180_000 }, () => {
  it('links have no "›" in their names; the name top right says ログアウト; 削除 / 設定 / 更新 say what they act on', async () => {
    const { context, page } = await newPage();
    await page.goto(`${origin}/`);
    const guest = await accessibleNames(page, 'link');
    expect(guest).toContain('パスワードを忘れた方はこちら');
    expect(guest).toContain('ユーザIDを忘れた方はこちら');
    await page.goto(`${origin}/login`);
    const login = await accessibleNames(page, 'link');
    expect(login).toContain('ユーザIDを忘れた方はこちら');
    expect(login).toContain('ポータルに戻る');
    await toTopPage(page);
    const member = await accessibleNames(page, 'link');
    expect(member).toContain('山田 太郎 様 ログアウト');
    expect(member).toContain('医療費のお知らせ 医療費を確認できます');
    for (const name of [...guest, ...login, ...member]) expect(name).not.toContain('›');
    await page.goto(`${origin}/login-methods`);
    const methods = await accessibleNames(page, 'link');
    expect(methods).toEqual(expect.arrayContaining(['「iPhone」を削除', 'パスワードを更新', '認証アプリ(ワンタイムパスワード)を追加で設定', '生体認証(パスキー)を追加で設定']));
    expect(methods).not.toContain('削除');
    expect(methods).not.toContain('設定');
    await context.close();
  });
});

describe('point 8: narrow phones and the PC layout', { timeout: 180_000 }, () => {
  it('the portal title never leaves one character alone on a line (360 and 390 px: before login, in the login steps, after login)', async () => {
    const { context, page } = await newPage({ width: 360, height: 740 });
    const expectWhole = async (where: string) => {
      for (const width of [360, 390]) {
        await page.setViewportSize({ width, height: 740 });
        const lines = await charsPerLine(page, '.brand__title');
        expect(
          lines.reduce((a, b) => a + b, 0),
          `${where} ${width}`,
        ).toBe('大和総研健保加入者ページ'.length);
        expect(lines.length, `${where} ${width}: ${lines}`).toBeLessThanOrEqual(2);
        expect(Math.min(...lines), `${where} ${width}: ${lines}`).toBeGreaterThanOrEqual(2);
        expect(await page.$eval('.brand__title', (el) => el.scrollHeight <= el.clientHeight + 1), `${where} ${width}`).toBe(true);
      }
      await page.setViewportSize({ width: 360, height: 740 });
    };
    await page.goto(`${origin}/`);
    await expectWhole('top page (ログイン)');
    await toUserIdStep(page);
    await expectWhole('login step (ログアウト)');
    await page.goto(`${origin}/logout`);
    await submit(page);
    await toTopPage(page);
    await expectWhole('top page after login (member name)');
    await context.close();
  });

  it('step labels are at least 12 px (13 px from 400 px), whole, side by side and on screen', async () => {
    const { context, page } = await newPage({ width: 360, height: 740 });
    await toUserIdStep(page);
    for (const width of [360, 390, 1280]) {
      await page.setViewportSize({ width, height: 740 });
      const items = await page.$$eval('.stepper__item', (els) =>
        els.map((el) => {
          const label = el.querySelector('.stepper__label') as HTMLElement;
          const r = el.getBoundingClientRect();
          const l = label.getBoundingClientRect();
          return { size: parseFloat(getComputedStyle(label).fontSize), left: r.left, right: r.right, labelLeft: l.left, labelRight: l.right, clipped: label.scrollWidth > label.clientWidth + 1 };
        }),
      );
      expect(items).toHaveLength(6);
      for (const [i, item] of items.entries()) {
        expect(item.size, `${width} #${i}`).toBeGreaterThanOrEqual(width >= 400 ? 13 : 12);
        expect(item.clipped, `${width} #${i}`).toBe(false);
        expect(item.labelLeft, `${width} #${i}`).toBeGreaterThanOrEqual(item.left - 0.5);
        expect(item.labelRight, `${width} #${i}`).toBeLessThanOrEqual(item.right + 0.5);
        expect(item.right, `${width} #${i}`).toBeLessThanOrEqual(width);
        if (i > 0) expect(item.left, `${width} #${i}`).toBeGreaterThanOrEqual(items[i - 1]!.right);
      }
    }
    await context.close();
  });

  it('ログイン方法変更 at 360 px: dates at 14 px or more, `最終利用日: …` on one line', async () => {
    const { context, page } = await newPage({ width: 360, height: 740 });
    const m = await toTopPage(page);
    // Log in once more so the device has a last-used date.
    await page.goto(`${origin}/logout`);
    await submit(page);
    await page.goto(`${origin}/login`);
    await page.fill('#userId', m.userId);
    await page.fill('#password', PASSWORD);
    await submit(page);
    await page.fill('#code', totpCodeAt(m.secret, t.clock.now()));
    await submit(page);
    t.clock.advanceSeconds(30);
    await page.goto(`${origin}/login-methods`);
    const result = await page.evaluate(() => {
      // The page's text with each character's text node, so a match can span elements.
      const walker = document.createTreeWalker(document.querySelector('main')!, NodeFilter.SHOW_TEXT);
      const at: { node: Text; offset: number }[] = [];
      let text = '';
      for (let n = walker.nextNode() as Text | null; n; n = walker.nextNode() as Text | null) {
        for (let i = 0; i < n.data.length; i++) at.push({ node: n, offset: i });
        text += n.data;
      }
      const out: { text: string; tops: number; size: number }[] = [];
      for (const m of text.matchAll(/(作成日|最終利用日): \d{4}\/\d{2}\/\d{2} \d{2}:\d{2}/g)) {
        const first = at[m.index!]!;
        const last = at[m.index! + m[0].length - 1]!;
        const range = document.createRange();
        range.setStart(first.node, first.offset);
        range.setEnd(last.node, last.offset + 1);
        const tops = new Set(
          Array.from(range.getClientRects())
            .filter((r) => r.width > 0)
            .map((r) => Math.round(r.top)),
        );
        out.push({ text: m[0], tops: tops.size, size: parseFloat(getComputedStyle(first.node.parentElement!).fontSize) });
      }
      return out;
    });
    expect(result.some((r) => r.text.startsWith('最終利用日'))).toBe(true);
    for (const r of result) {
      expect(r.tops, r.text).toBe(1);
      expect(r.size, r.text).toBeGreaterThanOrEqual(14);
    }
    await context.close();
  });

  it('on a PC, page titles, messages and the progress line up with the centred cards', async () => {
    const { context, page } = await newPage({ width: 1280, height: 800 });
    await toUserIdStep(page);
    // The first-login progress and its card (checked last: the titles are the older complaint).
    const [progress, stepCard] = await edges(page, ['.progress', '.card--form']);
    await page.fill('#userId', `member.y${serial}`);
    await page.check('#method-otp');
    await submit(page);
    await page.fill('#password', PASSWORD);
    await page.fill('#passwordConfirm', PASSWORD);
    await submit(page);
    await submit(page);
    const secret = (await page.textContent('#otp-key'))!.replace(/ /g, '');
    await page.fill('#code', totpCodeAt(secret, t.clock.now()));
    await page.fill('#deviceName', 'iPhone');
    await submit(page);
    t.clock.advanceSeconds(30);
    // The top page: its title lines up with its service menu.
    const [home, grid] = await edges(page, ['h1.page-title', '.service-grid']);
    expect(home!.left).toBe(grid!.left);
    for (const path of ['/profile', '/login-methods']) {
      await page.goto(`${origin}${path}`);
      const [title, card] = await edges(page, ['h1.page-title', '.card--form']);
      expect(title, path).toEqual(card);
    }
    // A message after an action (the flash of ログイン方法変更) is as wide as the cards under it.
    await page.goto(`${origin}/login-methods/password`);
    await page.fill('#password', 'Another-Portal-2027?');
    await page.fill('#passwordConfirm', 'Another-Portal-2027?');
    await submit(page);
    expect(pathOf(page)).toBe('/login-methods');
    const [flash, first] = await edges(page, ['.alert--info', '.card--form']);
    expect(flash).toEqual(first);
    expect(progress).toEqual(stepCard);
    await context.close();
  });

  it('the phone menu closes on Escape (focus back on its button) and on a tap outside it', async () => {
    const { context, page } = await newPage({ width: 360, height: 740 });
    await toTopPage(page);
    const open = () => page.$eval('details.menu', (d) => (d as HTMLDetailsElement).open);
    await page.click('.menu__button');
    expect(await open()).toBe(true);
    await page.keyboard.press('Escape');
    expect(await open()).toBe(false);
    expect(await page.evaluate(() => document.activeElement?.classList.contains('menu__button'))).toBe(true);
    await page.click('.menu__button');
    expect(await open()).toBe(true);
    await page.mouse.click(180, 600);
    expect(await open()).toBe(false);
    // A tap on the menu itself does not close it.
    await page.click('.menu__button');
    await page.click('.menu__panel', { position: { x: 5, y: 3 } });
    expect(await open()).toBe(true);
    await context.close();
  });
});
