import { describe, it, expect, beforeEach } from 'vitest';
import { testDatabases } from '../../support/databases.js';
import { STAFF, type TestCore } from '../../support/core.js';
import { nextLoginStep, type LoginProgress } from '../../../src/core/auth/login-step.js';
import { verifyBirthDate } from '../../../src/core/onboarding/verify-birth-date.js';
import { chooseUserIdAndMethod } from '../../../src/core/onboarding/choose-user-id.js';
import { setInitialPassword } from '../../../src/core/onboarding/set-initial-password.js';
import { confirmEmail } from '../../../src/core/onboarding/confirm-email.js';
import { finishOnboardingIfDone } from '../../../src/core/onboarding/finish-onboarding.js';
import { acceptTerms } from '../../../src/core/terms/accept-terms.js';
import { publishTerms } from '../../../src/core/terms/publish-terms.js';
import { reissuePassword } from '../../../src/core/accounts/reissue-password.js';
import { Member, TotpDevice } from '../../../src/core/db/entities/index.js';
import { issue, makeActive, perTestSociety, reload } from '../accounts/fixtures.js';

describe.each(testDatabases)('next login step (SCREENS.md §2.3, §2.12) on $name', (database) => {
  const current = perTestSociety(database);
  let t: TestCore;
  beforeEach(() => {
    t = current();
  });

  const step = async (memberId: number, progress: LoginProgress = {}) => (await nextLoginStep(t.core.db.store, t.society.id, memberId, progress))!;

  /** What the TOTP set-up does in its transaction: add a device, finish first login. */
  async function addFactor(memberId: number): Promise<void> {
    const em = t.core.db.em();
    const m = await em.findOneOrFail(Member, { id: memberId });
    em.create(TotpDevice, { member: m, name: 'iPhone', secretEnc: t.core.secretBox.seal('JBSWY3DPEHPK3PXP', `totp:${memberId}`), lastUsedStep: null, createdAt: t.clock.now(), lastUsedAt: null });
    finishOnboardingIfDone(em, t.clock, m);
    await em.flush();
  }

  it('provisional: birth date → terms → user ID → password → email → second factor → second factor at login', async () => {
    await publishTerms(t.core, STAFF, { societyId: t.society.id, body: '第1条' });
    const r = await issue(t, { email: 'taro@example.jp' });
    const id = r.member.id;
    const seen: string[] = [await step(id)];
    await verifyBirthDate(t.core, { societyId: t.society.id, memberId: id, ip: null }, '19790822');
    const session: LoginProgress = { birthDateVerified: true };
    seen.push(await step(id, session));
    await acceptTerms(t.core, { societyId: t.society.id, memberId: id, ip: null }, 1);
    seen.push(await step(id, session));
    await chooseUserIdAndMethod(t.core, { societyId: t.society.id, memberId: id, ip: null }, { userId: 'taroyamada', method: 'otp', platformAuthenticator: false });
    seen.push(await step(id, session));
    await setInitialPassword(t.core, { societyId: t.society.id, memberId: id, ip: null }, { password: 'Kz7#mQ2wPp', confirm: 'Kz7#mQ2wPp' });
    seen.push(await step(id, session));
    await confirmEmail(t.core, { societyId: t.society.id, memberId: id, ip: null }, 'taro@example.jp');
    seen.push(await step(id, session));
    await addFactor(id);
    seen.push(await step(id, {}));
    seen.push(await step(id, { secondFactorVerified: true }));
    expect(seen).toEqual(['birth_date', 'terms', 'user_id', 'password', 'email', 'factor_setup', 'second_factor', 'done']);
    const m = await reload(t, id);
    expect(m).toMatchObject({ status: 'active', onboardingStep: null, provisionalExpiresAt: null, userId: 'taroyamada', preferredMethod: 'otp' });
    expect(m.firstLoginAt!.toISOString()).toBe(t.clock.now().toISOString());
  });

  it('while the provisional password is in use, every new session checks the birth date first', async () => {
    const r = await issue(t);
    await verifyBirthDate(t.core, { societyId: t.society.id, memberId: r.member.id, ip: null }, '19790822');
    expect(await step(r.member.id, {})).toBe('birth_date');
    // No terms published: that step passes straight to the user ID.
    expect(await step(r.member.id, { birthDateVerified: true })).toBe('user_id');
    await chooseUserIdAndMethod(t.core, { societyId: t.society.id, memberId: r.member.id, ip: null }, { userId: 'taroyamada', method: 'otp', platformAuthenticator: false });
    expect(await step(r.member.id, {})).toBe('birth_date');
    await setInitialPassword(t.core, { societyId: t.society.id, memberId: r.member.id, ip: null }, { password: 'Kz7#mQ2wPp', confirm: 'Kz7#mQ2wPp' });
    // With the member's own password the next session continues where first login stopped.
    expect(await step(r.member.id, {})).toBe('email');
  });

  it('an active member proves the second factor, then accepts newer terms', async () => {
    await publishTerms(t.core, STAFF, { societyId: t.society.id, body: '第1条' });
    const r = await issue(t);
    await makeActive(t, r.member.id);
    await addFactor(r.member.id);
    await acceptTerms(t.core, { societyId: t.society.id, memberId: r.member.id, ip: null }, 1);
    expect(await step(r.member.id, {})).toBe('second_factor');
    expect(await step(r.member.id, { birthDateVerified: true })).toBe('second_factor');
    expect(await step(r.member.id, { secondFactorVerified: true })).toBe('done');
    await publishTerms(t.core, STAFF, { societyId: t.society.id, body: '第1条 改定' });
    expect(await step(r.member.id, { secondFactorVerified: true })).toBe('terms');
    await acceptTerms(t.core, { societyId: t.society.id, memberId: r.member.id, ip: null }, 2);
    expect(await step(r.member.id, { secondFactorVerified: true })).toBe('done');
  });

  it('an active member left without any factor proves the birth date and sets one up (FAQ Q14)', async () => {
    const r = await issue(t);
    await makeActive(t, r.member.id);
    expect(await step(r.member.id, {})).toBe('birth_date');
    expect(await step(r.member.id, { birthDateVerified: true })).toBe('factor_setup');
  });

  it('after a reissue an active member goes through first login again', async () => {
    const r = await issue(t);
    await makeActive(t, r.member.id);
    await addFactor(r.member.id);
    await reissuePassword(t.core, STAFF, { societyId: t.society.id, userId: r.userId });
    expect(await step(r.member.id, { secondFactorVerified: true })).toBe('birth_date');
    expect(await step(r.member.id, { birthDateVerified: true })).toBe('terms');
  });
});
