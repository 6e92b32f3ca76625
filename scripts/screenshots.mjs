#!/usr/bin/env node
// Screenshots of the member portal (issue 3): starts the BUILT portal (dist/, run `npm run build`
// first) on a temporary data directory with an issued member, drives Debian's Chromium through
// playwright-core, and writes PNGs at 390×844 (phone) and 1280×800 (PC) into
// test-output/screenshots/: the top page, login, every first-login step, the OTP set-up (with its
// key and an error), the top page after login, profile, ログイン方法変更, logout confirmation and FAQ (and the
// same at 360×740, the narrowest phone the layout supports).
//
//   npm run build && node scripts/screenshots.mjs
//
// Chromium: `apt-get install -y chromium` (never `npx playwright install`). Japanese text needs a
// CJK font on the machine (`apt-get install -y fonts-noto-cjk`); the portal itself ships no fonts.
import { existsSync, mkdirSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { chromium } from 'playwright-core';

const ROOT = resolve(dirname(fileURLToPath(import.meta.url)), '..');
const DIST = join(ROOT, 'dist');
const OUT = join(ROOT, 'test-output', 'screenshots');
const CHROMIUM = process.env.CHROMIUM_PATH ?? '/usr/bin/chromium';

if (!existsSync(join(DIST, 'portal', 'server.js'))) {
  console.error('dist/portal/server.js is missing: run `npm run build` first.');
  process.exit(1);
}
if (!existsSync(CHROMIUM)) {
  console.error(`${CHROMIUM} is missing: apt-get install -y chromium`);
  process.exit(1);
}

const load = (p) => import(join(DIST, p));
const { loadConfig } = await load('core/config.js');
const { createCore } = await load('core/context.js');
const { openDatabase, migrate } = await load('core/db/orm.js');
const { createSociety } = await load('core/society/create-society.js');
const { publishTerms } = await load('core/terms/publish-terms.js');
const { issueMember } = await load('core/accounts/issue-member.js');
const { totpCodeAt } = await load('core/credentials/totp/index.js');
const { staff } = await load('core/actor.js');
const { startPortal } = await load('portal/server.js');
const { silentLogger } = await load('portal/logger.js');
const { readFileSync } = await import('node:fs');

const dataDir = mkdtempSync(join(tmpdir(), 'kosmo-shots-'));
const databaseUrl = `sqlite:${join(dataDir, 'kosmo.sqlite')}`;
const config = { ...loadConfig({ dataDir, databaseUrl }, {}), secretKey: Buffer.alloc(32, 9), secretKeySource: 'env' };
const db = await openDatabase(databaseUrl);
await migrate(db);
const core = await createCore(config, { db });
const actor = staff('screenshots');
const society = await createSociety(core, actor, {
  code: 'sckenpo',
  name: '大和総研健保',
  portalTitle: '大和総研健保加入者ページ',
  settings: {
    serviceMenu: [
      { title: '医療費のお知らせ', url: 'https://example.jp/iryohi', description: '医療機関の受診記録と医療費を確認できます' },
      { title: '健診・人間ドックの予約', url: 'https://example.jp/kenshin', description: '提携医療機関の健診を予約できます' },
      { title: 'ジェネリック医薬品のご案内', url: 'https://example.jp/generic', description: '切り替えた場合の自己負担の目安' },
      { title: '各種申請書ダウンロード', url: 'https://example.jp/forms', description: '被扶養者異動届、療養費支給申請書など' },
    ],
  },
});
await publishTerms(core, actor, society.id, { title: '利用規約', body: readFileSync(join(ROOT, 'templates', 'terms', 'default-terms.txt'), 'utf8') });

const portal = await startPortal(core, { port: 0, log: process.env.SHOTS_LOG ? (await load('portal/logger.js')).jsonLogger() : silentLogger });
const browser = await chromium.launch({
  executablePath: CHROMIUM,
  args: ['--headless', '--no-sandbox', '--disable-gpu', '--disable-background-networking', '--disable-component-update', '--disable-sync'],
});

mkdirSync(OUT, { recursive: true });
const written = [];
try {
  // 390×844 and 1280×800 as the issue asks; 360×740 as well, the narrowest phone the layout supports.
  for (const [label, viewport, mobile] of [['390x844', { width: 390, height: 844 }, true], ['1280x800', { width: 1280, height: 800 }, false], ['360x740', { width: 360, height: 740 }, true]]) {
    const issued = await issueMember(core, actor, society.id, { name: '山田 太郎', kana: 'ヤマダ タロウ', birthDate: '1979-08-22', email: `taro.${label}@example.jp` });
    const context = await browser.newContext({ viewport, deviceScaleFactor: 1, isMobile: mobile, hasTouch: mobile, locale: 'ja-JP' });
    const page = await context.newPage();
    // Every click here submits a form or follows a link: wait for the new page to load.
    const go = async (selector) => {
      await Promise.all([page.waitForNavigation({ waitUntil: 'load' }), page.click(selector)]);
    };
    const shot = async (name) => {
      const file = join(OUT, `${label}-${name}.png`);
      await page.screenshot({ path: file });
      written.push(file);
    };
    await page.goto(`${portal.url}/`);
    await shot('01-top');
    await go('.account__login');
    await shot('02-login');
    await page.fill('#userId', 'wrong-user1');
    await page.fill('#password', 'wrong-password');
    await go('button[type=submit]');
    await shot('03-login-error');
    await page.fill('#userId', issued.userId);
    await page.fill('#password', issued.password);
    await go('button[type=submit]');
    await page.waitForURL('**/login/birth-date');
    await shot('04-birth-date');
    await page.fill('#birthDate', '19790822');
    await go('button[type=submit]');
    await page.waitForURL('**/login/terms');
    await shot('05-terms');
    await go('button[type=submit]');
    await page.waitForURL('**/login/user-id');
    await shot('06-user-id');
    await page.fill('#userId', 'x!');
    await go('button[type=submit]');
    await shot('06b-user-id-error');
    await page.fill('#userId', `yamada.${label.replace('x', '-')}`.slice(0, 13));
    await page.check('#method-otp');
    await go('button[type=submit]');
    await page.waitForURL('**/login/password');
    await shot('07-password');
    await page.fill('#password', 'Kosmo-Portal-2026!');
    await page.fill('#passwordConfirm', 'Kosmo-Portal-2026!');
    await go('button[type=submit]');
    await page.waitForURL('**/login/email');
    await shot('08-email');
    await page.fill('#email', `${'a'.repeat(250)}.@example.jp`);
    await go('button[type=submit]');
    await shot('08b-email-errors');
    await page.fill('#email', `taro.${label}@example.jp`);
    await go('button[type=submit]');
    await page.waitForURL('**/setup/factor');
    await shot('09-otp-setup');
    await page.click('.otp-manual summary');
    await shot('09b-otp-setup-key');
    const key = await page.textContent('#otp-key');
    await page.fill('#code', '000000');
    await page.fill('#deviceName', 'iPhone');
    await go('button[type=submit]');
    await shot('09c-otp-setup-error');
    await page.fill('#code', totpCodeAt(key, new Date()));
    await go('button[type=submit]');
    await page.waitForURL(`${portal.url}/`);
    await shot('10-top-after-login');
    if (mobile) {
      await page.click('.menu__button');
      await shot('11-menu');
      await page.click('.menu__button');
    }
    await page.goto(`${portal.url}/profile`);
    await shot('12-profile');
    await page.goto(`${portal.url}/login-methods`);
    await shot('12b-login-methods');
    await page.goto(`${portal.url}/login-methods/password`);
    await shot('12c-password-update');
    await page.goto(`${portal.url}/faq`);
    await shot('13-faq');
    await page.goto(`${portal.url}/`);
    await go('.account__name');
    await shot('14-logout');
    await go('button[type=submit]');
    await shot('15-after-logout');
    await context.close();
  }
} finally {
  await browser.close();
  await portal.close();
  await core.db.close();
  rmSync(dataDir, { recursive: true, force: true });
}
console.log(`wrote ${written.length} screenshots to ${OUT}`);
