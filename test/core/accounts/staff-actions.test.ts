import { describe, it, expect, beforeEach } from 'vitest';
import { testDatabases } from '../../support/databases.js';
import { STAFF, type TestCore } from '../../support/core.js';
import { unlockMember } from '../../../src/core/accounts/unlock-member.js';
import { setMemberDisabled } from '../../../src/core/accounts/set-member-status.js';
import { renameMember } from '../../../src/core/accounts/rename-member.js';
import { reissuePassword } from '../../../src/core/accounts/reissue-password.js';
import { showMember } from '../../../src/core/accounts/member-detail.js';
import { authenticatePassword } from '../../../src/core/auth/authenticate-password.js';
import { failAttempts } from '../../support/failures.js';
import { nextLoginStep } from '../../../src/core/auth/login-step.js';
import { queryAudit } from '../../../src/core/audit/query-audit.js';
import { changeUserId } from '../../../src/core/profile/change-user-id.js';
import { addSession, credentialOf, issue, lockoutOf, makeActive, reload, sessionCount, perTestSociety } from './fixtures.js';

describe.each(testDatabases)('staff actions on members on $name', (database) => {
  const current = perTestSociety(database);
  let t: TestCore;
  beforeEach(() => {
    t = current();
  });

  const login = (userId: string, password: string) => authenticatePassword(t.core, t.society.id, { userId, password, ip: '192.0.2.1' });

  describe('unlock', () => {
    it('clears a permanent lock and the failure count, so the member can log in again', async () => {
      const r = await issue(t);
      await failAttempts(t, r.member.id, 20);
      expect((await showMember(t.core, t.society.id, r.userId)).lock.state).toBe('locked');
      await expect(login(r.userId, r.password)).rejects.toMatchObject({ code: 'ACCOUNT_LOCKED', message: '無効なユーザIDまたはパスワードです。' });
      expect(await unlockMember(t.core, STAFF, { societyId: t.society.id, userId: r.userId })).toEqual({ wasLocked: true });
      expect(await lockoutOf(t, r.member.id)).toMatchObject({ failures: 0, blockedUntil: null, lockedAt: null });
      await expect(login(r.userId, r.password)).resolves.toMatchObject({ member: { id: r.member.id } });
      const [e] = await queryAudit(t.core, t.society.id, { action: 'member.unlock' });
      expect(e).toMatchObject({ actor: 'tester', memberUserId: r.userId, details: { wasLocked: true } });
    });

    it('reports an account that was not locked', async () => {
      const r = await issue(t);
      expect(await unlockMember(t.core, STAFF, { societyId: t.society.id, userId: r.userId })).toEqual({ wasLocked: false });
    });
  });

  describe('disable and enable', () => {
    it('disable ends every session and refuses the right password; enable lets the member in again', async () => {
      const r = await issue(t);
      await addSession(t, r.member);
      await addSession(t, r.member);
      const other = await issue(t, { name: '他人', kana: 'タニン' });
      await addSession(t, other.member);
      expect(await setMemberDisabled(t.core, STAFF, { societyId: t.society.id, userId: r.userId, disabled: true })).toEqual({ changed: true });
      expect(await sessionCount(t, r.member.id)).toBe(0);
      expect(await sessionCount(t, other.member.id)).toBe(1);
      expect((await reload(t, r.member.id)).status).toBe('disabled');
      await expect(login(r.userId, r.password)).rejects.toMatchObject({ code: 'INVALID_CREDENTIALS' });
      expect(await setMemberDisabled(t.core, STAFF, { societyId: t.society.id, userId: r.userId, disabled: true })).toEqual({ changed: false });
      expect(await setMemberDisabled(t.core, STAFF, { societyId: t.society.id, userId: r.userId, disabled: false })).toEqual({ changed: true });
      // A provisional member goes back to provisional: the first-login steps still apply.
      expect((await reload(t, r.member.id)).status).toBe('provisional');
      await expect(login(r.userId, r.password)).resolves.toMatchObject({ member: { id: r.member.id } });
      expect(await setMemberDisabled(t.core, STAFF, { societyId: t.society.id, userId: r.userId, disabled: false })).toEqual({ changed: false });
      const actions = (await queryAudit(t.core, t.society.id, { memberId: r.member.id })).map((e) => e.action);
      expect(actions.filter((a) => a === 'member.disable')).toHaveLength(2);
      expect(actions.filter((a) => a === 'member.enable')).toHaveLength(2);
    });

    it('an active member is active again after enable', async () => {
      const r = await issue(t);
      await makeActive(t, r.member.id);
      await setMemberDisabled(t.core, STAFF, { societyId: t.society.id, userId: r.userId, disabled: true });
      await setMemberDisabled(t.core, STAFF, { societyId: t.society.id, userId: r.userId, disabled: false });
      expect((await reload(t, r.member.id)).status).toBe('active');
    });
  });

  describe('rename', () => {
    it('changes name and kana, audited with before and after', async () => {
      const r = await issue(t);
      expect(await renameMember(t.core, STAFF, { societyId: t.society.id, userId: r.userId, name: '山田 太朗', kana: 'ﾔﾏﾀﾞﾀﾛｳ' })).toStrictEqual({
        userId: r.userId,
        name: '山田 太朗',
        kana: 'ヤマダタロウ',
      });
      expect(await reload(t, r.member.id)).toMatchObject({ name: '山田 太朗', kana: 'ヤマダタロウ' });
      await renameMember(t.core, STAFF, { societyId: t.society.id, userId: r.userId, kana: 'ヤマダ タロウ' });
      expect(await reload(t, r.member.id)).toMatchObject({ name: '山田 太朗', kana: 'ヤマダ タロウ' });
      const [last, first] = await queryAudit(t.core, t.society.id, { action: 'member.rename' });
      expect(first!.details).toEqual({ before: { name: '山田太郎', kana: 'ヤマダタロウ' }, after: { name: '山田 太朗', kana: 'ヤマダタロウ' } });
      expect(last!.details).toMatchObject({ after: { kana: 'ヤマダ タロウ' } });
    });

    it('refuses an invalid name or kana and changes nothing', async () => {
      const r = await issue(t);
      await expect(renameMember(t.core, STAFF, { societyId: t.society.id, userId: r.userId, kana: 'Yamada' })).rejects.toMatchObject({ code: 'INPUT_INVALID', details: { field: 'kana' } });
      await expect(renameMember(t.core, STAFF, { societyId: t.society.id, userId: r.userId, name: '' })).rejects.toMatchObject({ code: 'INPUT_INVALID', details: { field: 'name' } });
      expect(await reload(t, r.member.id)).toMatchObject({ name: '山田太郎', kana: 'ヤマダタロウ' });
      expect(await queryAudit(t.core, t.society.id, { action: 'member.rename' })).toEqual([]);
    });
  });

  describe('reissue', () => {
    it('a new provisional password: the old one stops working, first login starts again, sessions end', async () => {
      const r = await issue(t);
      await makeActive(t, r.member.id);
      await addSession(t, r.member);
      t.clock.advance(10 * 86_400_000);
      const again = await reissuePassword(t.core, STAFF, { societyId: t.society.id, userId: r.userId.toUpperCase() });
      expect(again.userId).toBe(r.userId);
      expect(again.password).not.toBe(r.password);
      expect(await sessionCount(t, r.member.id)).toBe(0);
      const m = await reload(t, r.member.id);
      expect(m).toMatchObject({ status: 'provisional', onboardingStep: 'birth_date' });
      expect(m.provisionalExpiresAt!.toISOString()).toBe('2026-07-10T00:00:00.000Z');
      const cred = await credentialOf(t, r.member.id);
      expect(cred.provisional).toBe(true);
      expect(cred.createdAt.toISOString()).toBe(t.clock.now().toISOString());
      await expect(login(r.userId, r.password)).rejects.toMatchObject({ code: 'INVALID_CREDENTIALS' });
      const { member } = await login(r.userId, again.password);
      expect(await nextLoginStep(t.core.db.store, t.society.id, member.id, {})).toBe('birth_date');
      const [e] = await queryAudit(t.core, t.society.id, { action: 'member.reissue' });
      expect(e).toMatchObject({ actor: 'tester', memberUserId: r.userId });
      expect(JSON.stringify(e)).not.toContain(again.password);
    });

    it('a disabled member stays disabled', async () => {
      const r = await issue(t);
      await setMemberDisabled(t.core, STAFF, { societyId: t.society.id, userId: r.userId, disabled: true });
      const again = await reissuePassword(t.core, STAFF, { societyId: t.society.id, userId: r.userId });
      expect((await reload(t, r.member.id)).status).toBe('disabled');
      await expect(login(r.userId, again.password)).rejects.toMatchObject({ code: 'INVALID_CREDENTIALS' });
    });
  });

  it('never finds or changes a member of another society, even one with the same user ID', async () => {
    const stranger = await issue(t, {}, 1);
    await failAttempts(t, stranger.member.id, 1, 'login.password', 1);
    await addSession(t, stranger.member, 1);
    for (const call of [
      () => unlockMember(t.core, STAFF, { societyId: t.society.id, userId: stranger.userId }),
      () => setMemberDisabled(t.core, STAFF, { societyId: t.society.id, userId: stranger.userId, disabled: true }),
      () => renameMember(t.core, STAFF, { societyId: t.society.id, userId: stranger.userId, name: '乗っ取り' }),
      () => reissuePassword(t.core, STAFF, { societyId: t.society.id, userId: stranger.userId }),
      () => showMember(t.core, t.society.id, stranger.userId),
    ]) {
      await expect(call()).rejects.toMatchObject({ code: 'MEMBER_NOT_FOUND' });
    }
    expect(await reload(t, stranger.member.id)).toMatchObject({ status: 'provisional', name: '山田太郎' });
    expect((await lockoutOf(t, stranger.member.id, 1))!.failures).toBe(1);
    expect(await sessionCount(t, stranger.member.id)).toBe(1);
    await expect(login(stranger.userId, stranger.password)).rejects.toMatchObject({ code: 'INVALID_CREDENTIALS' });

    // The same user ID in both societies: each society's staff reach only their own member.
    const mine = await issue(t);
    await changeUserId(t.core, { societyId: t.society.id, memberId: mine.member.id, ip: null }, 'samename01');
    await changeUserId(t.core, { societyId: 1, memberId: stranger.member.id, ip: null }, 'samename01');
    await setMemberDisabled(t.core, STAFF, { societyId: t.society.id, userId: 'samename01', disabled: true });
    expect((await reload(t, mine.member.id)).status).toBe('disabled');
    expect((await reload(t, stranger.member.id)).status).toBe('provisional');
    expect((await showMember(t.core, 1, 'samename01')).status).toBe('provisional');
  });

  it('every staff action refuses an unknown member with MEMBER_NOT_FOUND', async () => {
    for (const call of [
      () => unlockMember(t.core, STAFF, { societyId: t.society.id, userId: 'knobody234' }),
      () => setMemberDisabled(t.core, STAFF, { societyId: t.society.id, userId: 'knobody234', disabled: true }),
      () => setMemberDisabled(t.core, STAFF, { societyId: t.society.id, userId: 'knobody234', disabled: false }),
      () => renameMember(t.core, STAFF, { societyId: t.society.id, userId: 'knobody234', name: 'x' }),
      () => reissuePassword(t.core, STAFF, { societyId: t.society.id, userId: 'knobody234' }),
      () => showMember(t.core, t.society.id, 'knobody234'),
    ]) {
      await expect(call()).rejects.toMatchObject({ code: 'MEMBER_NOT_FOUND', kind: 'not_found' });
    }
    expect(await queryAudit(t.core, t.society.id, { limit: 100 })).toHaveLength(1); // society.create only
  });
});
