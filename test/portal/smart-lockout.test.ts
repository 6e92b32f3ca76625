import { describe, it, expect, beforeEach, afterEach } from 'vitest';
import { testDatabases } from '../support/databases.js';
import { showMember } from '../../src/core/accounts/member-detail.js';
import { unlockMember } from '../../src/core/accounts/unlock-member.js';
import { queryAudit } from '../../src/core/audit/query-audit.js';
import { STAFF } from '../support/core.js';
import { startTestPortal, type TestPortal } from './support/portal.js';
import { Browser, textOf, type Page } from './support/browser.js';
import { codeAt, firstLoginWithOtp } from './support/second-factor.js';
import { pathOf } from './support/flows.js';

/**
 * Smart lockout (issue 13) over real HTTP on SQLite and PostgreSQL. The portal trusts one proxy,
 * so each attacker client gets its own address from X-Forwarded-For; the member's phone is the
 * browser that did the first login (it holds the device cookie of a known device).
 */
const INVALID = '無効なユーザIDまたはパスワードです。';
const WAIT = 'しばらく時間をおいてから再度お試しください';

describe.each(testDatabases)('smart lockout on $name', (database) => {
  let p: TestPortal;
  let phone: Browser;
  let member: { userId: string; password: string; secret: string; memberId: number };

  beforeEach(async () => {
    p = await startTestPortal(database, { trustProxy: true });
    const issued = await p.issue();
    phone = p.browser();
    const own = await firstLoginWithOtp(p, phone, issued);
    expect(phone.jar.has('kosmo_device')).toBe(true);
    await phone.get('/logout');
    await phone.post('/logout', {});
    p.clock.advanceSeconds(30);
    member = { ...own, memberId: issued.memberId };
  });
  afterEach(async () => p.stop());

  /** A client of its own address, with the login form open. */
  async function client(address: string): Promise<{ b: Browser; attempt(password: string): Promise<Page> }> {
    const b = p.browser();
    await b.get('/login');
    return { b, attempt: (password) => b.post('/login', { userId: member.userId, password }, { headers: { 'x-forwarded-for': address }, follow: false }) };
  }

  /** The phone logs in with the right password and the authenticator app: true when it reached the top page. */
  async function phoneLogsIn(): Promise<Page> {
    await phone.get('/login');
    const page = await phone.post('/login', { userId: member.userId, password: member.password });
    if (pathOf(page) !== '/login/second-factor') return page;
    p.clock.advanceSeconds(30);
    return phone.post('/login/second-factor', { code: codeAt(p, member.secret) });
  }

  it("an attacker client exhausting its budget cannot stop the member's known browser; it is blocked itself", async () => {
    const attacker = await client('198.51.100.7');
    for (let i = 0; i < 10; i++) {
      const page = await attacker.attempt(`Wrong-guess-${i}`);
      expect(page.status).toBe(401);
      expect(textOf(page.body)).toContain(INVALID);
      p.clock.advanceSeconds(901); // past every back-off: the attacker spends its whole budget
    }
    expect(await queryAudit(p.core, p.society.id, { action: 'member.client_blocked' })).toHaveLength(1);
    // The attacker's client is now blocked: even the right password is not checked from it.
    const blocked = await attacker.attempt(member.password);
    expect(textOf(blocked.body)).toContain(INVALID);
    expect((await queryAudit(p.core, p.society.id, { action: 'login.password', limit: 100 })).at(0)?.details).toMatchObject({ reason: 'locked', counter: 'client' });
    // A second attacker address adds one failure: the account (not locked: 11 < lockAt 20) is in its back-off.
    expect((await (await client('198.51.100.9')).attempt('Wrong-guess-x')).status).toBe(401);
    expect((await showMember(p.core, p.society.id, member.userId)).lock).toMatchObject({ state: 'backoff', failures: 11 });
    // A new, unknown client waits for that back-off, right password or not…
    const stranger = await client('203.0.113.5');
    expect(textOf((await stranger.attempt(member.password)).body)).toContain(WAIT);
    // …the member's own phone does not: it reaches the top page at once.
    const page = await phoneLogsIn();
    expect(pathOf(page)).toBe('/');
    expect((await showMember(p.core, p.society.id, member.userId)).lock).toMatchObject({ state: 'open', failures: 0 });
  });

  it("a burst of 100 wrong passwords from one client checks 5; the member's phone logs in right after", async () => {
    const attackers = await Promise.all(Array.from({ length: 100 }, () => client('198.51.100.8')));
    const answers = await Promise.all(attackers.map((a, i) => a.attempt(`Wrong-guess-${i}`)));
    expect(answers.every((a) => a.status === 401)).toBe(true);
    const audited = await queryAudit(p.core, p.society.id, { action: 'login.password', limit: 1000 });
    expect(audited.filter((e) => e.details?.reason === 'wrong_password')).toHaveLength(5);
    expect(pathOf(await phoneLogsIn())).toBe('/');
  });

  it('the account-wide lock still comes at lockAt (20) failures spread over 20 clients, and stops the phone too until staff unlock', async () => {
    for (let i = 0; i < 20; i++) {
      const attacker = await client(`198.51.100.${i + 1}`);
      expect((await attacker.attempt(`Wrong-guess-${i}`)).status).toBe(401);
      p.clock.advanceSeconds(901);
      const state = (await showMember(p.core, p.society.id, member.userId)).lock.state;
      expect(state).toBe(i < 19 ? 'open' : 'locked');
    }
    expect(await queryAudit(p.core, p.society.id, { action: 'member.locked' })).toHaveLength(1);
    const refused = await phoneLogsIn();
    expect(pathOf(refused)).toBe('/login');
    expect(textOf(refused.body)).toContain(INVALID);
    await unlockMember(p.core, STAFF, { societyId: p.society.id, userId: member.userId });
    expect(pathOf(await phoneLogsIn())).toBe('/');
  });

  it('a burst from 100 clients at once (no back-off) checks exactly lockAt guesses and locks once', async () => {
    await p.setSetting('lockout.backoffFrom', '100');
    const attackers = await Promise.all(Array.from({ length: 100 }, (_, i) => client(`198.51.${100 + Math.floor(i / 200)}.${(i % 200) + 1}`)));
    await Promise.all(attackers.map((a, i) => a.attempt(`Wrong-guess-${i}`)));
    const audited = await queryAudit(p.core, p.society.id, { action: 'login.password', limit: 1000 });
    expect(audited.filter((e) => e.details?.reason === 'wrong_password')).toHaveLength(20);
    expect((await showMember(p.core, p.society.id, member.userId)).lock).toMatchObject({ state: 'locked', failures: 20 });
    expect(await queryAudit(p.core, p.society.id, { action: 'member.locked' })).toHaveLength(1);
  });
});
