/**
 * Issue 13 in real Chromium: recovery codes — made under ログイン方法変更 (shown once, printable,
 * copyable, only hashes stored), one stands in for the second factor once, the same code is
 * refused after, and of 10 browsers posting one code at the same moment exactly one gets in.
 * SQLite and PostgreSQL.
 */
import type { Browser, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { testDatabases } from '../support/databases.js';
import { createTestCore, STAFF, type TestCore } from '../support/core.js';
import { activeMember, queuedMails } from '../portal/support/recovery.js';
import { startPortal, type RunningPortal } from '../../src/portal/server.js';
import { publishTerms } from '../../src/core/terms/publish-terms.js';
import { totpCodeAt } from '../../src/core/credentials/totp/index.js';
import { queryAudit } from '../../src/core/audit/query-audit.js';
import { updateSocietySetting } from '../../src/core/society/update-society-setting.js';
import { RecoveryCode } from '../../src/core/db/entities/index.js';
import { launchBrowser } from './support/browser.js';

const REFUSED = 'リカバリーコードが正しくないか、既に使用されています。';

describe.each(testDatabases)('recovery codes in Chromium on $name', (database) => {
  let t: TestCore;
  let portal: RunningPortal;
  let browser: Browser;
  let member: { userId: string; password: string; secret: string; email: string; memberId: number };
  let codes: string[] = [];

  beforeAll(async () => {
    t = await createTestCore(database);
    await publishTerms(t.core, STAFF, { societyId: t.society.id, title: '利用規約', body: '第1条(目的)' });
    member = await activeMember(t);
    portal = await startPortal(t.core, { host: '127.0.0.1', port: 0, log: { info: () => {}, error: () => {} } });
    browser = await launchBrowser();
  });

  afterAll(async () => {
    await browser?.close();
    await portal?.close();
    await t?.close();
  });

  const pathOf = (page: Page) => new URL(page.url()).pathname;
  async function submit(page: Page, selector = 'button[type=submit]'): Promise<void> {
    await Promise.all([page.waitForNavigation(), page.click(selector)]);
  }
  async function fresh(): Promise<Page> {
    return (await browser.newContext()).newPage();
  }
  async function password(page: Page): Promise<void> {
    await page.goto(`${portal.url}/login`);
    await page.fill('#userId', member.userId);
    await page.fill('#password', member.password);
    await submit(page);
    expect(pathOf(page)).toBe('/login/second-factor');
  }
  /** From the second-factor page: `リカバリーコードを使用する` → リカバリーコードの入力. */
  async function toRecoveryCode(page: Page): Promise<void> {
    await Promise.all([page.waitForNavigation(), page.click('#recovery-code-link')]);
    expect(pathOf(page)).toBe('/login/second-factor/recovery-code');
    expect(await page.textContent('h1')).toBe('リカバリーコードの入力');
  }

  it('a member signed in with the authenticator app makes 10 codes under ログイン方法変更: shown once, stored hashed', async () => {
    const page = await fresh();
    await password(page);
    t.clock.advanceSeconds(30);
    await page.fill('#code', totpCodeAt(member.secret, t.clock.now()));
    await submit(page);
    expect(pathOf(page)).toBe('/');
    await page.goto(`${portal.url}/login-methods`);
    await Promise.all([page.waitForNavigation(), page.click('#recovery-codes-link')]);
    expect(await page.textContent('#recovery-status')).toContain('まだ作成されていません');
    await submit(page, '#recovery-create');
    codes = await page.$$eval('.recovery-codes__code', (els) => els.map((e) => e.textContent!));
    expect(codes).toHaveLength(10);
    for (const c of codes) expect(c).toMatch(/^[a-hjkmnp-z2-9]{4}-[a-hjkmnp-z2-9]{4}-[a-hjkmnp-z2-9]{4}$/);
    expect(new Set(codes).size).toBe(10);
    expect(await page.isVisible('#recovery-print')).toBe(true);
    expect(await page.getAttribute('#recovery-copy', 'data-codes')).toBe(codes.join('\n'));
    // Only hashes in the database.
    const rows = await t.core.db.em().fork().find(RecoveryCode, { member: member.memberId });
    expect(rows).toHaveLength(10);
    for (const r of rows) {
      expect(r.codeHash).toMatch(/^[0-9a-f]{64}$/);
      expect(codes.map((c) => c.replace(/-/g, ''))).not.toContain(r.codeHash);
    }
    // Shown once: the page itself shows only how many are left.
    await page.goto(`${portal.url}/login-methods/recovery-codes`);
    expect(await page.textContent('#recovery-status')).toContain('残り 10 個');
    expect(await page.content()).not.toContain(codes[0]!);
    expect((await queuedMails(t, 'recovery-codes-created')).map((m) => m.to)).toEqual([member.email]);
    await page.context().close();
  });

  it('a code stands in for the second factor once, then the member is sent to set up a new factor', async () => {
    const page = await fresh();
    await password(page);
    await toRecoveryCode(page);
    // Typed as people do: upper case, without the hyphens.
    await page.fill('#code', codes[0]!.replace(/-/g, '').toUpperCase());
    await submit(page);
    expect(pathOf(page)).toBe('/login-methods');
    expect(await page.textContent('#flash')).toContain('リカバリーコードでログインしました(残り9個)');
    expect((await queuedMails(t, 'recovery-code-used')).at(-1)?.text).toContain('残りのリカバリーコードは9個です');
    expect((await queryAudit(t.core, t.society.id, { action: 'login.recovery_code' })).filter((e) => e.outcome === 'success')).toHaveLength(1);
    await page.context().close();
  });

  it('the same code is refused the second and third time, and counts as a failure', async () => {
    for (let i = 0; i < 2; i++) {
      const page = await fresh();
      await password(page);
      await toRecoveryCode(page);
      await page.fill('#code', codes[0]!);
      await submit(page);
      expect(pathOf(page)).toBe('/login/second-factor/recovery-code');
      expect(await page.textContent('#form-errors')).toContain(REFUSED);
      await page.context().close();
    }
    const failures = (await queryAudit(t.core, t.society.id, { action: 'login.recovery_code' })).filter((e) => e.outcome === 'failure');
    expect(failures.map((e) => e.details?.reason)).toEqual(['unknown_or_used', 'unknown_or_used']);
  });

  it('10 browsers posting one code at the same moment: exactly one gets in', async () => {
    // Every browser here is one client (127.0.0.1, no known device): lift the back-offs, so the
    // refusals are the single-use statement's, not the throttle's.
    for (const [key, value] of [
      ['lockout.backoffFrom', '100'],
      ['lockout.clientBackoffFrom', '100'],
      ['lockout.clientLockAt', '100'],
      ['lockout.lockAt', '100'],
    ] as const)
      await updateSocietySetting(t.core, STAFF, { societyId: t.society.id, key, value });
    const pages = await Promise.all(Array.from({ length: 10 }, () => fresh()));
    await Promise.all(
      pages.map(async (page) => {
        await password(page);
        await toRecoveryCode(page);
        await page.fill('#code', codes[1]!);
      }),
    );
    await Promise.all(pages.map((page) => submit(page)));
    const landed = pages.map(pathOf);
    expect(landed.filter((p) => p === '/login-methods')).toHaveLength(1);
    expect(landed.filter((p) => p === '/login/second-factor/recovery-code')).toHaveLength(9);
    const audited = await queryAudit(t.core, t.society.id, { action: 'login.recovery_code', limit: 100 });
    expect(audited.filter((e) => e.outcome === 'success')).toHaveLength(2);
    expect(audited.filter((e) => e.details?.reason === 'unknown_or_used')).toHaveLength(2 + 9);
    const used = await t.core.db
      .em()
      .fork()
      .count(RecoveryCode, { member: member.memberId, usedAt: { $ne: null } });
    expect(used).toBe(2);
  }, 180_000);
});
