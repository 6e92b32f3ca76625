import { describe, it, expect, beforeEach, afterEach } from 'vitest';
import { testDatabases } from '../support/databases.js';
import { openPeerCore } from '../support/core.js';
import { startPortal, type RunningPortal } from '../../src/portal/server.js';
import type { CoreContext } from '../../src/core/context.js';
import type { PasswordHasher } from '../../src/core/credentials/password/hasher.js';
import { showMember } from '../../src/core/accounts/member-detail.js';
import { queryAudit } from '../../src/core/audit/query-audit.js';
import { requestPasswordReset } from '../../src/core/recovery/request-password-reset.js';
import { createSession } from '../../src/core/sessions/create-session.js';
import { rotateSession } from '../../src/core/sessions/rotate-session.js';
import { keepWebauthnChallenge, takeWebauthnChallenge } from '../../src/core/sessions/webauthn-challenge.js';
import { startTestPortal, type TestPortal } from './support/portal.js';
import { Browser, textOf, type Page } from './support/browser.js';
import { activeOtpMember, codeAt } from './support/second-factor.js';
import { lastResetToken, queuedMails } from './support/recovery.js';

/**
 * Issue 9: the security state holds when requests arrive at the same moment, as an attacker sends
 * them — 100 at once over real HTTP, on SQLite and PostgreSQL, and (PostgreSQL) spread over two
 * portal instances, each with its own ORM, connection pool and store, as two `kosmo serve` have.
 */
const INVALID = '無効なユーザIDまたはパスワードです。';
const WAIT = 'しばらく時間をおいてから再度お試しください';

/** Counts argon2 verifications (real and dummy): the guesses that were actually checked. */
function countChecks(core: CoreContext): { readonly n: number } {
  const real = core.hasher;
  const counter = { n: 0 };
  const hasher: PasswordHasher = {
    hash: (p) => real.hash(p),
    verify: (h, p) => (counter.n++, real.verify(h, p)),
    verifyDummy: (p) => (counter.n++, real.verifyDummy(p)),
  };
  core.hasher = hasher;
  return counter;
}

const location = (page: Page) => page.hops[0]?.location ?? null;

describe.each(testDatabases)('security state under parallel requests on $name', (database) => {
  let p: TestPortal;
  /** The portal instances the burst is spread over: one on SQLite, two on PostgreSQL. */
  let instances: { url: string; core: CoreContext; close(): Promise<void> }[];
  let checks: { readonly n: number }[];

  beforeEach(async () => {
    p = await startTestPortal(database);
    instances = [{ url: p.url, core: p.core, close: async () => {} }];
    if (database.name === 'postgresql') {
      const core = await openPeerCore(p);
      const second: RunningPortal = await startPortal(core, { port: 0, log: { info: () => {}, error: () => {} } });
      instances.push({ url: second.url, core, close: async () => (await second.close(), await core.db.close()) });
    }
    checks = instances.map((i) => countChecks(i.core));
  });
  afterEach(async () => {
    for (const i of instances.slice(1)) await i.close();
    await p.stop();
  });

  const checked = () => checks.reduce((sum, c) => sum + c.n, 0);
  /** `n` browsers with a login form open, spread over the instances in turn. */
  async function browsers(n: number): Promise<Browser[]> {
    const list = Array.from({ length: n }, (_, i) => new Browser(instances[i % instances.length]!.url));
    await Promise.all(list.map((b) => b.get('/login')));
    return list;
  }
  const attempt = (b: Browser, userId: string, password: string) => b.post('/login', { userId, password }, { follow: false });
  /**
   * These tests watch the account's counter alone: every browser here comes from 127.0.0.1 without
   * a device cookie, i.e. one client to the smart lockout (issue 13), whose own budget (back-off
   * from 5, blocked at 10) would end the burst first. test/portal/smart-lockout.test.ts covers it.
   */
  const withoutClientBudget = async () => {
    await p.setSetting('lockout.clientBackoffFrom', '100');
    await p.setSetting('lockout.clientLockAt', '100');
  };

  it('a burst of 100 wrong passwords checks only the 5 before the back-off; the right one is then refused', async () => {
    const m = await p.issue();
    const before = checked();
    const attackers = await browsers(101);
    const answers = await Promise.all(attackers.slice(0, 100).map((b, i) => attempt(b, m.userId, `Wrong-guess-${i}`)));
    expect(answers.every((a) => a.status === 401)).toBe(true);
    expect(checked() - before).toBe(5);
    const right = await attempt(attackers[100]!, m.userId, m.password);
    expect(right.status).toBe(401);
    expect(textOf(right.body)).toContain(WAIT);
    expect(checked() - before).toBe(5);
    expect((await showMember(p.core, p.society.id, m.userId)).lock).toMatchObject({ state: 'backoff', failures: 5 });
    const audited = await queryAudit(p.core, p.society.id, { action: 'login.password', limit: 1000 });
    expect(audited.filter((e) => e.details?.reason === 'wrong_password')).toHaveLength(5);
    expect(audited.filter((e) => e.details?.reason === 'throttled')).toHaveLength(96);
  });

  it('100 wrong and the right password at once: at most 5 are checked, and the right one only if it was among them', async () => {
    const m = await p.issue();
    const before = checked();
    const attackers = await browsers(101);
    const rightAt = 37;
    const answers = await Promise.all(attackers.map((b, i) => attempt(b, m.userId, i === rightAt ? m.password : `Wrong-guess-${i}`)));
    expect(checked() - before).toBeLessThanOrEqual(5);
    const got = answers.filter((a) => a.status === 303);
    expect(got.length).toBeLessThanOrEqual(1);
    if (got.length === 1) expect(location(got[0]!)).toBe('/login/birth-date');
    const audited = await queryAudit(p.core, p.society.id, { action: 'login.password', limit: 1000 });
    expect(audited.filter((e) => e.details?.reason !== 'throttled')).toHaveLength(checked() - before);
  });

  it('with no back-off, a burst checks exactly lockAt guesses, locks, and the right password is refused after', async () => {
    await withoutClientBudget();
    await p.setSetting('lockout.backoffFrom', '100');
    await p.setSetting('lockout.lockAt', '20');
    const m = await p.issue();
    const before = checked();
    const attackers = await browsers(101);
    await Promise.all(attackers.slice(0, 100).map((b, i) => attempt(b, m.userId, `Wrong-guess-${i}`)));
    expect(checked() - before).toBe(20);
    expect((await showMember(p.core, p.society.id, m.userId)).lock).toMatchObject({ state: 'locked', failures: 20 });
    expect(await queryAudit(p.core, p.society.id, { action: 'member.locked' })).toHaveLength(1);
    const right = await attempt(attackers[100]!, m.userId, m.password);
    expect(textOf(right.body)).toContain(INVALID);
    expect(checked() - before).toBe(20);
  });

  it('counts every one of 30 simultaneous failures exactly', async () => {
    await withoutClientBudget();
    await p.setSetting('lockout.backoffFrom', '100');
    await p.setSetting('lockout.lockAt', '100');
    const m = await p.issue();
    const attackers = await browsers(30);
    const answers = await Promise.all(attackers.map((b, i) => attempt(b, m.userId, `Wrong-guess-${i}`)));
    expect(answers.map((a) => a.status)).toEqual(Array(30).fill(401));
    expect((await showMember(p.core, p.society.id, m.userId)).lock.failures).toBe(30);
    const audited = await queryAudit(p.core, p.society.id, { action: 'login.password', limit: 1000 });
    expect(audited.filter((e) => e.outcome === 'failure')).toHaveLength(30);
  });

  it('an unknown user ID is throttled exactly like a known one, in a burst too', async () => {
    const before = checked();
    const attackers = await browsers(51);
    await Promise.all(attackers.slice(0, 50).map((b, i) => attempt(b, 'nosuchmember1', `Wrong-guess-${i}`)));
    expect(checked() - before).toBe(5);
    expect(textOf((await attempt(attackers[50]!, 'nosuchmember1', 'Wrong-guess-x')).body)).toContain(WAIT);
  });

  it('one OTP code logs in exactly once, however many sessions post it at once', async () => {
    await withoutClientBudget();
    await p.setSetting('lockout.backoffFrom', '100');
    await p.setSetting('lockout.lockAt', '100');
    const m = await activeOtpMember(p);
    const sessions = await browsers(10);
    for (const b of sessions) {
      const page = await b.post('/login', { userId: m.userId, password: m.password });
      expect(new URL(page.url).pathname).toBe('/login/second-factor');
    }
    const code = codeAt(p, m.secret);
    const answers = await Promise.all(sessions.map((b) => b.post('/login/second-factor', { code }, { follow: false })));
    const in_ = answers.filter((a) => a.status === 303 && location(a) === '/');
    expect(in_).toHaveLength(1);
    const otp = await queryAudit(p.core, p.society.id, { action: 'login.otp', limit: 100 });
    expect(otp.filter((e) => e.outcome === 'success')).toHaveLength(1);
    expect(otp.filter((e) => e.details?.reason === 'replay')).toHaveLength(9);
    expect(await queryAudit(p.core, p.society.id, { action: 'login.success' })).toHaveLength(2); // the set-up login and this one
  });

  it('a reset link opens once, however many requests carry it at once', async () => {
    const m = await activeOtpMember(p);
    await requestPasswordReset(p.core, p.society.id, { userId: m.userId, ip: null, baseUrl: p.url });
    const token = await lastResetToken(p);
    const holders = Array.from({ length: 20 }, (_, i) => new Browser(instances[i % instances.length]!.url));
    await Promise.all(holders.map((b) => b.get(`/password/reset/${token}`)));
    const answers = await Promise.all(holders.map((b) => b.post('/password/reset', { token }, { follow: false })));
    expect(answers.filter((a) => a.status === 303)).toHaveLength(1);
    expect((await queryAudit(p.core, p.society.id, { action: 'recovery.password_link', limit: 100 })).filter((e) => e.outcome === 'success')).toHaveLength(1);
  });

  it('a burst of forgot-password requests from one client gets exactly its 10 places, an account at most 3 mails', async () => {
    await p.setSetting('publicUrl', p.url);
    const m = await activeOtpMember(p);
    const clients = Array.from({ length: 30 }, (_, i) => new Browser(instances[i % instances.length]!.url));
    await Promise.all(clients.map((b) => b.get('/password/forgot')));
    const answers = await Promise.all(clients.map((b) => b.post('/password/forgot', { userId: m.userId }, { follow: false })));
    expect(answers.filter((a) => a.status === 429)).toHaveLength(20);
    expect(await queuedMails(p, 'password-reset')).toHaveLength(3);
  });

  it('a WebAuthn challenge is taken once, and a session rotates once, across instances', async () => {
    const { session } = await createSession(p.core, p.society.id, { ip: null, userAgent: null });
    await keepWebauthnChallenge(p.core, session.id, 'authentication', 'c'.repeat(43), 120_000);
    const taken = await Promise.all(Array.from({ length: 100 }, (_, i) => takeWebauthnChallenge(instances[i % instances.length]!.core, session.id, 'authentication')));
    expect(taken.filter((c) => c !== '')).toEqual(['c'.repeat(43)]);
    const rotations = await Promise.allSettled(
      Array.from({ length: 20 }, (_, i) => rotateSession(instances[i % instances.length]!.core, session.id, { expectTokenHash: session.tokenHash, memberId: null, state: {} })),
    );
    expect(rotations.filter((r) => r.status === 'fulfilled')).toHaveLength(1);
    expect(rotations.filter((r) => r.status === 'rejected').every((r) => (r as PromiseRejectedResult).reason.code === 'SESSION_EXPIRED')).toBe(true);
  });
});
