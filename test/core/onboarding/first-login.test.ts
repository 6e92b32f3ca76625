import { describe, it, expect, beforeEach } from 'vitest';
import { testDatabases } from '../../support/databases.js';
import { STAFF, type TestCore } from '../../support/core.js';
import { verifyBirthDate } from '../../../src/core/onboarding/verify-birth-date.js';
import { chooseUserIdAndMethod } from '../../../src/core/onboarding/choose-user-id.js';
import { setInitialPassword } from '../../../src/core/onboarding/set-initial-password.js';
import { confirmEmail } from '../../../src/core/onboarding/confirm-email.js';
import { changeUserId } from '../../../src/core/profile/change-user-id.js';
import { authenticatePassword } from '../../../src/core/auth/authenticate-password.js';
import { updateSocietySetting } from '../../../src/core/society/update-society-setting.js';
import { queryAudit } from '../../../src/core/audit/query-audit.js';
import { KosmoValidationError } from '../../../src/core/errors.js';
import { atStep, credentialOf, databaseText, issue, lockoutOf, perTestSociety, reload } from '../accounts/fixtures.js';

const PW = 'Kz7#mQ2wPp';

describe.each(testDatabases)('first login steps on $name', (database) => {
  const current = perTestSociety(database);
  let t: TestCore;
  beforeEach(() => {
    t = current();
  });

  const choose = (memberId: number, userId: unknown, method: unknown = 'otp', platformAuthenticator = false, societyId = t.society.id) =>
    chooseUserIdAndMethod(t.core, { societyId, memberId, ip: '192.0.2.3' }, { userId, method, platformAuthenticator });

  describe('birth date (§2.3 step 1)', () => {
    it('accepts the registered date in any form and moves on to the terms', async () => {
      const r = await issue(t);
      await verifyBirthDate(t.core, { societyId: t.society.id, memberId: r.member.id, ip: '192.0.2.3' }, '１９７９０８２２');
      expect((await reload(t, r.member.id)).onboardingStep).toBe('terms');
      expect((await queryAudit(t.core, t.society.id, { action: 'login.birth_date' }))[0]).toMatchObject({ outcome: 'success', ip: '192.0.2.3' });
    });

    it('a wrong date is BIRTH_DATE_MISMATCH and counts; a malformed one is BIRTH_DATE_INVALID and does not', async () => {
      const r = await issue(t);
      await expect(verifyBirthDate(t.core, { societyId: t.society.id, memberId: r.member.id, ip: null }, '19790823')).rejects.toMatchObject({ code: 'BIRTH_DATE_MISMATCH' });
      await expect(verifyBirthDate(t.core, { societyId: t.society.id, memberId: r.member.id, ip: null }, '1979-13-40')).rejects.toMatchObject({ code: 'BIRTH_DATE_INVALID' });
      expect((await lockoutOf(t, r.member.id))!.failures).toBe(1);
      expect((await reload(t, r.member.id)).onboardingStep).toBe('birth_date');
    });
  });

  describe('user ID and method (§2.3 step 3)', () => {
    it('sets the folded user ID and the method, and moves on to the password', async () => {
      const r = await issue(t);
      await atStep(t, r.member.id, 'user_id');
      await choose(r.member.id, 'ＴａｒｏＹａｍａｄａ');
      const m = await reload(t, r.member.id);
      expect(m).toMatchObject({ userId: 'taroyamada', preferredMethod: 'otp', onboardingStep: 'password' });
      const [e] = await queryAudit(t.core, t.society.id, { action: 'member.user_id' });
      expect(e!.details).toEqual({ before: r.userId, after: 'taroyamada', method: 'otp' });
    });

    it('refuses an ID taken in the society (any case), but not one taken in another society', async () => {
      const a = await issue(t);
      const b = await issue(t, { name: '別人', kana: 'ベツジン' });
      await choose(a.member.id, 'taroyamada');
      await expect(choose(b.member.id, 'TaroYamada')).rejects.toMatchObject({ code: 'USER_ID_TAKEN', kind: 'conflict' });
      const elsewhere = await issue(t, {}, 1);
      await expect(choose(elsewhere.member.id, 'taroyamada', 'otp', false, 1)).resolves.toBeUndefined();
      expect((await reload(t, elsewhere.member.id)).userId).toBe('taroyamada');
    });

    it('refuses an ID still held as another member’s provisional ID', async () => {
      const a = await issue(t);
      const b = await issue(t, { name: '別人', kana: 'ベツジン' });
      await expect(choose(b.member.id, a.userId.toUpperCase())).rejects.toMatchObject({ code: 'USER_ID_TAKEN' });
    });

    it('applies the user ID rules', async () => {
      const r = await issue(t);
      await expect(choose(r.member.id, 'short')).rejects.toMatchObject({ code: 'USER_ID_LENGTH' });
      await expect(choose(r.member.id, 'taro yamada')).rejects.toMatchObject({ code: 'USER_ID_CHARS' });
      await expect(choose(r.member.id, '')).rejects.toMatchObject({ code: 'USER_ID_REQUIRED' });
    });

    it('requires an allowed method; passkey only with a platform authenticator; a refusal changes nothing', async () => {
      const r = await issue(t);
      await atStep(t, r.member.id, 'user_id');
      await expect(choose(r.member.id, 'taroyamada', null)).rejects.toMatchObject({ code: 'METHOD_REQUIRED' });
      await expect(choose(r.member.id, 'taroyamada', 'sms')).rejects.toMatchObject({ code: 'METHOD_REQUIRED' });
      await expect(choose(r.member.id, 'taroyamada', 'passkey', false)).rejects.toMatchObject({ code: 'METHOD_NOT_ALLOWED' });
      // The user ID was assigned before the method was refused: the transaction must undo it.
      expect((await reload(t, r.member.id)).userId).toBe(r.userId);
      expect(await queryAudit(t.core, t.society.id, { action: 'member.user_id' })).toEqual([]);
      await updateSocietySetting(t.core, STAFF, { societyId: t.society.id, key: 'allowedFactors', value: 'otp' });
      await expect(choose(r.member.id, 'taroyamada', 'passkey', true)).rejects.toMatchObject({ code: 'METHOD_NOT_ALLOWED' });
      await updateSocietySetting(t.core, STAFF, { societyId: t.society.id, key: 'allowedFactors', value: 'otp,passkey' });
      await choose(r.member.id, 'taroyamada', 'passkey', true);
      expect(await reload(t, r.member.id)).toMatchObject({ userId: 'taroyamada', preferredMethod: 'passkey', onboardingStep: 'password' });
    });
  });

  describe('password (§2.3 step 4)', () => {
    it('replaces the provisional password: the old one stops working, the date changes, no plain text stored', async () => {
      const r = await issue(t);
      await atStep(t, r.member.id, 'user_id');
      await choose(r.member.id, 'taroyamada');
      t.clock.advanceSeconds(60);
      await setInitialPassword(t.core, { societyId: t.society.id, memberId: r.member.id, ip: null }, { password: PW, confirm: PW });
      const m = await reload(t, r.member.id);
      expect(m.onboardingStep).toBe('email');
      const cred = await credentialOf(t, r.member.id);
      expect(cred.provisional).toBe(false);
      expect(cred.createdAt.toISOString()).toBe(t.clock.now().toISOString());
      await expect(authenticatePassword(t.core, t.society.id, { userId: 'taroyamada', password: r.password, ip: null })).rejects.toMatchObject({ code: 'INVALID_CREDENTIALS' });
      await expect(authenticatePassword(t.core, t.society.id, { userId: 'taroyamada', password: PW, ip: null })).resolves.toBeTruthy();
      expect(await databaseText(t)).not.toContain(PW);
    });

    it('refuses the current (provisional) password with PASSWORD_UNCHANGED', async () => {
      const r = await issue(t);
      await expect(setInitialPassword(t.core, { societyId: t.society.id, memberId: r.member.id, ip: null }, { password: r.password, confirm: r.password })).rejects.toMatchObject({
        code: 'PASSWORD_UNCHANGED',
      });
      expect((await credentialOf(t, r.member.id)).provisional).toBe(true);
    });

    it("applies the policy with the member's user ID and the society's length", async () => {
      const r = await issue(t);
      await atStep(t, r.member.id, 'user_id');
      await choose(r.member.id, 'taroyamada');
      const set = (password: string, confirm = password) => setInitialPassword(t.core, { societyId: t.society.id, memberId: r.member.id, ip: null }, { password, confirm });
      await expect(set('TAROYAMADA')).rejects.toMatchObject({ code: 'PASSWORD_EQUALS_USER_ID' });
      await expect(set('password1')).rejects.toMatchObject({ code: 'PASSWORD_COMMON' });
      await expect(set(PW, PW + 'x')).rejects.toMatchObject({ code: 'PASSWORD_MISMATCH' });
      await expect(setInitialPassword(t.core, { societyId: t.society.id, memberId: r.member.id, ip: null }, { password: PW, confirm: undefined })).rejects.toMatchObject({ code: 'PASSWORD_MISMATCH' });
      await updateSocietySetting(t.core, STAFF, { societyId: t.society.id, key: 'password.minLength', value: '12' });
      await expect(set(PW)).rejects.toMatchObject({ code: 'PASSWORD_TOO_SHORT', details: { min: 12 } });
      expect((await reload(t, r.member.id)).onboardingStep).toBe('password');
    });
  });

  describe('email (§2.3 step 5)', () => {
    it('confirms or changes the address, lower-cased, and moves on to the second factor', async () => {
      const r = await issue(t, { email: 'taro@example.jp' });
      await atStep(t, r.member.id, 'email');
      await confirmEmail(t.core, { societyId: t.society.id, memberId: r.member.id, ip: null }, 'Taro@Example.JP');
      expect(await reload(t, r.member.id)).toMatchObject({ email: 'taro@example.jp', onboardingStep: 'factor_setup' });
      await confirmEmail(t.core, { societyId: t.society.id, memberId: r.member.id, ip: null }, 'taro.y@example.jp');
      expect((await reload(t, r.member.id)).email).toBe('taro.y@example.jp');
    });

    it("refuses another member's address, ignoring case, but not another society's", async () => {
      await issue(t, { email: 'hanako@example.jp' });
      const r = await issue(t, { name: '別人', kana: 'ベツジン' });
      const err = await confirmEmail(t.core, { societyId: t.society.id, memberId: r.member.id, ip: null }, 'HANAKO@example.JP').catch((e) => e);
      expect(err).toBeInstanceOf(KosmoValidationError);
      expect(err.codes).toEqual(['EMAIL_TAKEN']);
      const elsewhere = await issue(t, {}, 1);
      await expect(confirmEmail(t.core, { societyId: 1, memberId: elsewhere.member.id, ip: null }, 'hanako@example.jp')).resolves.toBeUndefined();
    });

    it('reports the manual errors, 3 and 4 together for 256 characters', async () => {
      const r = await issue(t);
      const codes = async (input: string) => ((await confirmEmail(t.core, { societyId: t.society.id, memberId: r.member.id, ip: null }, input).catch((e) => e)) as KosmoValidationError).codes;
      expect(await codes('')).toEqual(['EMAIL_REQUIRED']);
      expect(await codes('taro?@example.jp')).toEqual(['EMAIL_INVALID']);
      expect(await codes('taro.@example.jp')).toEqual(['EMAIL_INVALID']);
      expect(await codes('a'.repeat(250) + '@ex.jp')).toEqual(['EMAIL_INVALID', 'EMAIL_TOO_LONG']);
      expect((await reload(t, r.member.id)).email).toBeNull();
    });
  });

  describe('changing the user ID later (§2.7)', () => {
    it('same rules; refuses the current ID; audits before and after', async () => {
      const r = await issue(t);
      const other = await issue(t, { name: '別人', kana: 'ベツジン' });
      await expect(changeUserId(t.core, { societyId: t.society.id, memberId: r.member.id, ip: null }, r.userId.toUpperCase())).rejects.toMatchObject({ code: 'USER_ID_UNCHANGED' });
      await expect(changeUserId(t.core, { societyId: t.society.id, memberId: r.member.id, ip: null }, other.userId)).rejects.toMatchObject({ code: 'USER_ID_TAKEN' });
      await expect(changeUserId(t.core, { societyId: t.society.id, memberId: r.member.id, ip: null }, 'a!b@c.d-e_f')).rejects.toMatchObject({ code: 'USER_ID_CHARS' });
      expect(await changeUserId(t.core, { societyId: t.society.id, memberId: r.member.id, ip: null }, 'Taro.Y@kenpo')).toBe('taro.y@kenpo');
      const [e] = await queryAudit(t.core, t.society.id, { action: 'member.user_id' });
      expect(e).toMatchObject({ actor: 'taro.y@kenpo', details: { before: r.userId, after: 'taro.y@kenpo' } });
    });
  });

  it('no step changes a member of another society', async () => {
    const stranger = await issue(t, {}, 1);
    const attempts = [
      () => verifyBirthDate(t.core, { societyId: t.society.id, memberId: stranger.member.id, ip: null }, '19790822'),
      () => choose(stranger.member.id, 'taroyamada'),
      () => setInitialPassword(t.core, { societyId: t.society.id, memberId: stranger.member.id, ip: null }, { password: PW, confirm: PW }),
      () => confirmEmail(t.core, { societyId: t.society.id, memberId: stranger.member.id, ip: null }, 'x@example.jp'),
      () => changeUserId(t.core, { societyId: t.society.id, memberId: stranger.member.id, ip: null }, 'taroyamada'),
    ];
    for (const attempt of attempts) await expect(attempt()).rejects.toThrow();
    expect(await reload(t, stranger.member.id)).toMatchObject({ userId: stranger.userId, onboardingStep: 'birth_date', email: null });
    expect((await credentialOf(t, stranger.member.id)).provisional).toBe(true);
  });
});
