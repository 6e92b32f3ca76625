import { describe, it, expect, beforeEach } from 'vitest';
import { testDatabases } from '../../support/databases.js';
import { STAFF, type TestCore } from '../../support/core.js';
import { authenticatePassword, canContinueLogin } from '../../../src/core/auth/authenticate-password.js';
import { failAttempts } from '../../support/failures.js';
import { completeLogin } from '../../../src/core/auth/complete-login.js';
import { lockoutStatus } from '../../../src/core/auth/lockout.js';
import { verifyBirthDate } from '../../../src/core/onboarding/verify-birth-date.js';
import { unlockMember } from '../../../src/core/accounts/unlock-member.js';
import { showMember } from '../../../src/core/accounts/member-detail.js';
import { updateSocietySetting } from '../../../src/core/society/update-society-setting.js';
import { queryAudit } from '../../../src/core/audit/query-audit.js';
import { issue, lockoutOf, perTestSociety } from '../accounts/fixtures.js';

const WRONG = 'Wrong-Password-1';

describe.each(testDatabases)('lockout (DESIGN.md §4) on $name', (database) => {
  const current = perTestSociety(database);
  let t: TestCore;
  beforeEach(() => {
    t = current();
  });

  const login = (userId: string, password: string) => authenticatePassword(t.core, t.society.id, { userId, password, ip: '192.0.2.7' });
  /** Failures that need no argon2 work: the same counter the password step uses. */
  const fail = async (memberId: number, n: number) => {
    await failAttempts(t, memberId, n);
  };
  const state = async (memberId: number) => lockoutStatus(await lockoutOf(t, memberId), t.clock.now()).state;

  it('4 failures do not slow down; the 5th starts a 30 s back-off that refuses even the right password', async () => {
    const r = await issue(t);
    await fail(r.member.id, 3);
    await expect(login(r.userId, WRONG)).rejects.toMatchObject({ code: 'INVALID_CREDENTIALS' });
    expect(await state(r.member.id)).toBe('open');
    await expect(login(r.userId, WRONG)).rejects.toMatchObject({ code: 'INVALID_CREDENTIALS' });
    expect(await state(r.member.id)).toBe('backoff');
    expect((await lockoutOf(t, r.member.id))!.blockedUntil!.toISOString()).toBe('2026-04-01T00:00:30.000Z');
    t.clock.advanceSeconds(29);
    // Said as a wait, not as a wrong password (issue 12): the member does not conclude it is wrong.
    await expect(login(r.userId, r.password)).rejects.toMatchObject({ code: 'LOGIN_THROTTLED', details: { wait: '1秒', retryAfterSeconds: 1 } });
    // Refused attempts during the back-off are not counted.
    expect((await lockoutOf(t, r.member.id))!.failures).toBe(5);
    const refused = (await queryAudit(t.core, t.society.id, { action: 'login.password', limit: 1 }))[0]!;
    expect(refused).toMatchObject({ outcome: 'failure', details: { reason: 'throttled' } });
    t.clock.advanceSeconds(1);
    await expect(login(r.userId, r.password)).resolves.toMatchObject({ member: { id: r.member.id } });
  });

  it('the back-off doubles with each further failure, up to 15 minutes', async () => {
    const r = await issue(t);
    const delays: number[] = [];
    for (let i = 1; i <= 12; i++) {
      await fail(r.member.id, 1);
      const row = await lockoutOf(t, r.member.id);
      delays.push(row!.blockedUntil ? (row!.blockedUntil.getTime() - t.clock.now().getTime()) / 1000 : 0);
      t.clock.advanceSeconds(1000);
    }
    expect(delays).toEqual([0, 0, 0, 0, 30, 60, 120, 240, 480, 900, 900, 900]);
  });

  it('locks permanently at 20 failures: the right password is refused until staff unlock', async () => {
    const r = await issue(t);
    await fail(r.member.id, 19);
    expect(await state(r.member.id)).toBe('backoff');
    t.clock.advanceSeconds(900);
    await expect(login(r.userId, WRONG)).rejects.toMatchObject({ code: 'ACCOUNT_LOCKED', message: '無効なユーザIDまたはパスワードです。' });
    expect(await state(r.member.id)).toBe('locked');
    expect((await showMember(t.core, t.society.id, r.userId)).lock).toMatchObject({ state: 'locked', failures: 20, since: t.clock.now().toISOString() });
    expect((await queryAudit(t.core, t.society.id, { action: 'member.locked' }))[0]).toMatchObject({ actorType: 'system', memberUserId: r.userId });
    t.clock.advance(30 * 86_400_000);
    await expect(login(r.userId, r.password)).rejects.toMatchObject({ code: 'ACCOUNT_LOCKED' });
    expect(await canContinueLogin(t.core, r.member.id)).toBe(false);
    await unlockMember(t.core, STAFF, { societyId: t.society.id, userId: r.userId });
    expect(await canContinueLogin(t.core, r.member.id)).toBe(true);
    await expect(login(r.userId, r.password)).resolves.toMatchObject({ member: { id: r.member.id } });
  });

  it('wrong birth dates count like wrong passwords', async () => {
    const r = await issue(t);
    await login(r.userId, r.password);
    for (let i = 0; i < 5; i++) {
      await expect(verifyBirthDate(t.core, { societyId: t.society.id, memberId: r.member.id, ip: null }, '19800101')).rejects.toMatchObject({ code: 'BIRTH_DATE_MISMATCH' });
    }
    expect((await lockoutOf(t, r.member.id))!.failures).toBe(5);
    expect(await state(r.member.id)).toBe('backoff');
    await expect(login(r.userId, r.password)).rejects.toMatchObject({ code: 'LOGIN_THROTTLED' });
  });

  it('refuses the birth-date step during a back-off, even with the right date, without counting it', async () => {
    const r = await issue(t);
    await fail(r.member.id, 5);
    await expect(verifyBirthDate(t.core, { societyId: t.society.id, memberId: r.member.id, ip: null }, '19790822')).rejects.toMatchObject({ code: 'LOGIN_THROTTLED' });
    await expect(verifyBirthDate(t.core, { societyId: t.society.id, memberId: r.member.id, ip: null }, '19800101')).rejects.toMatchObject({ code: 'LOGIN_THROTTLED' });
    expect((await lockoutOf(t, r.member.id))!.failures).toBe(5);
    t.clock.advanceSeconds(30);
    await expect(verifyBirthDate(t.core, { societyId: t.society.id, memberId: r.member.id, ip: null }, '19790822')).resolves.toBeUndefined();
  });

  it('the failure that reaches the lock at the birth-date step ends the login with ACCOUNT_LOCKED', async () => {
    const r = await issue(t);
    await fail(r.member.id, 19);
    t.clock.advanceSeconds(900);
    await expect(verifyBirthDate(t.core, { societyId: t.society.id, memberId: r.member.id, ip: null }, '19800101')).rejects.toMatchObject({ code: 'ACCOUNT_LOCKED' });
    expect(await state(r.member.id)).toBe('locked');
    await expect(verifyBirthDate(t.core, { societyId: t.society.id, memberId: r.member.id, ip: null }, '19790822')).rejects.toMatchObject({ code: 'ACCOUNT_LOCKED' });
  });

  it('a successful login resets the count', async () => {
    const r = await issue(t);
    await fail(r.member.id, 4);
    await login(r.userId, r.password);
    await completeLogin(t.core, t.society.id, { id: r.member.id, userId: r.userId }, null);
    expect((await lockoutOf(t, r.member.id))!.failures).toBe(0);
    await fail(r.member.id, 4);
    expect(await state(r.member.id)).toBe('open');
  });

  it('the right password alone does not reset failures of the later steps (birth date, second factor)', async () => {
    const r = await issue(t);
    await login(r.userId, r.password);
    for (let i = 0; i < 4; i++) await expect(verifyBirthDate(t.core, { societyId: t.society.id, memberId: r.member.id, ip: null }, '19800101')).rejects.toThrow();
    // Logging in again with the password must not buy four more guesses.
    await login(r.userId, r.password);
    await expect(verifyBirthDate(t.core, { societyId: t.society.id, memberId: r.member.id, ip: null }, '19800101')).rejects.toMatchObject({ code: 'BIRTH_DATE_MISMATCH' });
    expect(await state(r.member.id)).toBe('backoff');
  });

  it("uses the society's own numbers", async () => {
    await updateSocietySetting(t.core, STAFF, { societyId: t.society.id, key: 'lockout.backoffFrom', value: '2' });
    await updateSocietySetting(t.core, STAFF, { societyId: t.society.id, key: 'lockout.baseDelaySeconds', value: '10' });
    await updateSocietySetting(t.core, STAFF, { societyId: t.society.id, key: 'lockout.lockAt', value: '3' });
    const r = await issue(t);
    await fail(r.member.id, 1);
    expect(await state(r.member.id)).toBe('open');
    await fail(r.member.id, 1);
    expect((await lockoutOf(t, r.member.id))!.blockedUntil!.toISOString()).toBe('2026-04-01T00:00:10.000Z');
    await fail(r.member.id, 1);
    expect(await state(r.member.id)).toBe('locked');
  });

  it('counts per account: another member is not affected', async () => {
    const r = await issue(t);
    const other = await issue(t, { name: '他人', kana: 'タニン' });
    await fail(r.member.id, 20);
    await expect(login(other.userId, other.password)).resolves.toMatchObject({ member: { id: other.member.id } });
  });
});
