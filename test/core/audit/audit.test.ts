import { describe, it, expect, beforeEach } from 'vitest';
import { testDatabases } from '../../support/databases.js';
import { STAFF, type TestCore } from '../../support/core.js';
import { queryAudit } from '../../../src/core/audit/query-audit.js';
import { recordAudit } from '../../../src/core/audit/record-audit.js';
import { staff } from '../../../src/core/actor.js';
import type { Clock } from '../../../src/core/clock.js';
import { unlockMember } from '../../../src/core/accounts/unlock-member.js';
import { setMemberDisabled } from '../../../src/core/accounts/set-member-status.js';
import { renameMember } from '../../../src/core/accounts/rename-member.js';
import { reissuePassword } from '../../../src/core/accounts/reissue-password.js';
import { authenticatePassword } from '../../../src/core/auth/authenticate-password.js';
import { failAttempts } from '../../support/failures.js';
import { completeLogin } from '../../../src/core/auth/complete-login.js';
import { verifyBirthDate } from '../../../src/core/onboarding/verify-birth-date.js';
import { chooseUserIdAndMethod } from '../../../src/core/onboarding/choose-user-id.js';
import { setInitialPassword } from '../../../src/core/onboarding/set-initial-password.js';
import { confirmEmail } from '../../../src/core/onboarding/confirm-email.js';
import { acceptTerms } from '../../../src/core/terms/accept-terms.js';
import { publishTerms } from '../../../src/core/terms/publish-terms.js';
import { updateSocietySetting } from '../../../src/core/society/update-society-setting.js';
import { AuditEvent } from '../../../src/core/db/entities/index.js';
import { atStep, databaseText, issue, lockoutOf, perTestSociety, reload } from '../accounts/fixtures.js';

const PW = 'Kz7#mQ2wPp';

/** A clock that fails when armed: the audit write is the only clock use left in the services tested. */
class TrapClock implements Clock {
  armed = false;
  constructor(private readonly inner: Clock) {}
  now(): Date {
    if (this.armed) throw new Error('audit write failed');
    return this.inner.now();
  }
}

describe.each(testDatabases)('audit log on $name', (database) => {
  const current = perTestSociety(database);
  let t: TestCore;
  beforeEach(() => {
    t = current();
  });

  it('every change by staff and member writes one event, in UTC from the injected clock', async () => {
    const ip = '192.0.2.44';
    await publishTerms(t.core, STAFF, { societyId: t.society.id, body: '第1条' });
    await updateSocietySetting(t.core, STAFF, { societyId: t.society.id, key: 'contact', value: '03-0000-0000' });
    const r = await issue(t);
    const id = r.member.id;
    await authenticatePassword(t.core, t.society.id, { userId: r.userId, password: r.password, ip });
    await verifyBirthDate(t.core, { societyId: t.society.id, memberId: id, ip }, '19790822');
    await acceptTerms(t.core, { societyId: t.society.id, memberId: id, ip }, 1);
    await chooseUserIdAndMethod(t.core, { societyId: t.society.id, memberId: id, ip }, { userId: 'taroyamada', method: 'otp', platformAuthenticator: false });
    await setInitialPassword(t.core, { societyId: t.society.id, memberId: id, ip }, { password: PW, confirm: PW });
    await confirmEmail(t.core, { societyId: t.society.id, memberId: id, ip }, 'taro@example.jp');
    await completeLogin(t.core, t.society.id, { id, userId: 'taroyamada' }, ip);
    await expect(authenticatePassword(t.core, t.society.id, { userId: 'taroyamada', password: 'not-the-password', ip })).rejects.toMatchObject({ code: 'INVALID_CREDENTIALS' });
    await unlockMember(t.core, STAFF, { societyId: t.society.id, userId: 'taroyamada' });
    await setMemberDisabled(t.core, STAFF, { societyId: t.society.id, userId: 'taroyamada', disabled: true });
    await setMemberDisabled(t.core, STAFF, { societyId: t.society.id, userId: 'taroyamada', disabled: false });
    await renameMember(t.core, STAFF, { societyId: t.society.id, userId: 'taroyamada', name: '山田太朗' });
    await reissuePassword(t.core, STAFF, { societyId: t.society.id, userId: 'taroyamada' });
    const events = (await queryAudit(t.core, t.society.id, { limit: 1000 })).reverse();
    expect(events.map((e) => e.action)).toEqual([
      'society.create',
      'terms.publish',
      'society.setting',
      'member.issue',
      'login.password',
      'login.birth_date',
      'terms.accept',
      'member.user_id',
      'password.set',
      'member.email',
      'login.success',
      'login.password',
      'member.unlock',
      'member.disable',
      'member.enable',
      'member.rename',
      'member.reissue',
    ]);
    for (const e of events) expect(e.at).toBe('2026-04-01T00:00:00.000Z');
    const memberEvents = events.filter((e) => e.actorType === 'member');
    expect(memberEvents.every((e) => e.ip === ip)).toBe(true);
    const staffEvents = events.filter((e) => e.actorType === 'staff');
    expect(staffEvents.every((e) => e.actor === 'tester' && e.ip === null)).toBe(true);
    expect(events.filter((e) => e.action.startsWith('member.') && e.action !== 'member.issue').every((e) => e.memberUserId === 'taroyamada')).toBe(true);
  });

  it('an event that cannot be written undoes the change it describes (same transaction)', async () => {
    const r = await issue(t);
    await failAttempts(t, r.member.id, 1);
    const trap = new TrapClock(t.clock);
    trap.armed = true;
    await expect(unlockMember({ ...t.core, clock: trap }, STAFF, { societyId: t.society.id, userId: r.userId })).rejects.toThrow('audit write failed');
    expect((await lockoutOf(t, r.member.id))!.failures).toBe(1);
    expect(await queryAudit(t.core, t.society.id, { action: 'member.unlock' })).toEqual([]);
  });

  it('recordAudit joins the caller’s unit of work: a rolled-back change leaves no event', async () => {
    await expect(
      t.core.db.em().transactional(async (em) => {
        recordAudit(em, t.clock, { societyId: t.society.id, actor: STAFF, action: 'test.rollback' });
        await em.flush();
        throw new Error('change failed');
      }),
    ).rejects.toThrow('change failed');
    expect(await t.core.db.em().count(AuditEvent, { action: 'test.rollback' })).toBe(0);
  });

  it('a failing change leaves no event', async () => {
    const r = await issue(t, { cardNumber: '123' });
    await expect(issue(t, { cardNumber: '123' })).rejects.toMatchObject({ code: 'MEMBER_EXISTS' });
    await expect(renameMember(t.core, STAFF, { societyId: t.society.id, userId: r.userId, kana: 'Yamada' })).rejects.toMatchObject({ code: 'INPUT_INVALID' });
    await atStep(t, r.member.id, 'user_id');
    await expect(
      chooseUserIdAndMethod(t.core, { societyId: t.society.id, memberId: r.member.id, ip: null }, { userId: 'taroyamada', method: 'sms', platformAuthenticator: false }),
    ).rejects.toMatchObject({
      code: 'METHOD_REQUIRED',
    });
    await expect(setInitialPassword(t.core, { societyId: t.society.id, memberId: r.member.id, ip: null }, { password: 'password1', confirm: 'password1' })).rejects.toMatchObject({
      code: 'PASSWORD_COMMON',
    });
    await expect(updateSocietySetting(t.core, STAFF, { societyId: t.society.id, key: 'lockout.lockAt', value: '1000' })).rejects.toMatchObject({ code: 'SETTING_INVALID' });
    await expect(publishTerms(t.core, STAFF, { societyId: t.society.id, body: '' })).rejects.toMatchObject({ code: 'TERMS_EMPTY' });
    expect((await queryAudit(t.core, t.society.id)).map((e) => e.action).sort()).toEqual(['member.issue', 'society.create']);
    expect((await reload(t, r.member.id)).userId).toBe(r.userId);
  });

  it('filters by member, actor, action and time (since inclusive, until exclusive), newest first, with a limit', async () => {
    const a = await issue(t);
    t.clock.advanceSeconds(60);
    const b = await issue(t, { name: '佐藤花子', kana: 'サトウハナコ' });
    t.clock.advanceSeconds(60);
    await unlockMember(t.core, staff('佐藤'), { societyId: t.society.id, userId: a.userId });
    t.clock.advanceSeconds(60);
    await unlockMember(t.core, staff('鈴木'), { societyId: t.society.id, userId: b.userId });
    const q = (query: Parameters<typeof queryAudit>[2]) => queryAudit(t.core, t.society.id, query);
    expect((await q({ memberId: a.member.id })).map((e) => e.action)).toEqual(['member.unlock', 'member.issue']);
    expect((await q({ actor: '佐藤' })).map((e) => e.memberUserId)).toEqual([a.userId]);
    expect((await q({ action: 'member.unlock' })).map((e) => e.memberUserId)).toEqual([b.userId, a.userId]);
    expect((await q({ action: 'member.issue', since: new Date('2026-04-01T00:01:00Z') })).map((e) => e.memberUserId)).toEqual([b.userId]);
    expect((await q({ action: 'member.issue', until: new Date('2026-04-01T00:01:00Z') })).map((e) => e.memberUserId)).toEqual([a.userId]);
    expect((await q({ since: new Date('2026-04-01T00:01:00Z'), until: new Date('2026-04-01T00:03:00Z') })).map((e) => e.action)).toEqual(['member.unlock', 'member.issue']);
    expect(await q({ limit: 2 })).toHaveLength(2);
    expect((await q({ limit: 1 }))[0]!.actor).toBe('鈴木');
    expect(await q({ actor: 'nobody' })).toEqual([]);
  });

  it('never shows another society’s events', async () => {
    const stranger = await issue(t, {}, 1);
    await unlockMember(t.core, STAFF, { societyId: 1, userId: stranger.userId });
    expect(await queryAudit(t.core, t.society.id, { memberId: stranger.member.id })).toEqual([]);
    expect((await queryAudit(t.core, t.society.id, { limit: 1000 })).some((e) => e.memberUserId === stranger.userId)).toBe(false);
  });

  it('never holds a password: issued, typed wrong, set or reissued', async () => {
    const r = await issue(t);
    const typo = 'MyTypo-Passw0rd';
    await expect(authenticatePassword(t.core, t.society.id, { userId: r.userId, password: typo, ip: null })).rejects.toThrow();
    // A password typed into the user ID field is not recorded either.
    await expect(authenticatePassword(t.core, t.society.id, { userId: 'Secret-In-Id-1', password: typo, ip: null })).rejects.toThrow();
    await atStep(t, r.member.id, 'password');
    await setInitialPassword(t.core, { societyId: t.society.id, memberId: r.member.id, ip: null }, { password: PW, confirm: PW });
    const again = await reissuePassword(t.core, STAFF, { societyId: t.society.id, userId: r.userId });
    const audit = JSON.stringify(await queryAudit(t.core, t.society.id, { limit: 1000 }));
    const everything = await databaseText(t);
    for (const secret of [r.password, typo, 'Secret-In-Id-1', 'secret-in-id-1', PW, again.password]) {
      expect(audit).not.toContain(secret);
      expect(everything).not.toContain(secret);
    }
  });
});
