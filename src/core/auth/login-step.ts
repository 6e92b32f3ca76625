import type { EntityManager } from '@mikro-orm/sql';
import { Passkey, PasswordCredential, Society, TotpDevice, type MemberRow } from '../db/entities/index.js';
import { termsPending } from '../terms/current-terms.js';
import type { LoginProgress } from './login-progress.js';

/** Where a member goes next after authenticating with the password (SCREENS.md §2.3, §2.12). */
export type LoginStep = 'birth_date' | 'terms' | 'user_id' | 'password' | 'email' | 'factor_setup' | 'second_factor' | 'recovery_code' | 'done';

export type { LoginProgress } from './login-progress.js';

export async function countFactors(em: EntityManager, memberId: number): Promise<{ otp: number; passkey: number }> {
  return { otp: await em.count(TotpDevice, { member: memberId }), passkey: await em.count(Passkey, { member: memberId }) };
}

/**
 * The single place that decides the next step, so no page can be skipped by typing its URL:
 * - while the provisional password is in use, the birth date is checked in every session;
 * - first login then runs terms → own user ID and method → password → email → second factor;
 * - an active member proves the second factor; one left without any (staff removed lost devices)
 *   proves the birth date and sets a new one up (FAQ Q14);
 * - after a reset link, the member proves the second factor they still have, or (lost device)
 *   the birth date and a new factor; then sets a new password (§2.10);
 * - a terms version not yet accepted comes last, before the top page (§2.12).
 */
export async function nextLoginStep(em: EntityManager, societyId: number, member: MemberRow, progress: LoginProgress): Promise<LoginStep> {
  const cred = await em.findOne(PasswordCredential, { member: member.id });
  if (member.status === 'provisional' && member.onboardingStep) {
    if (cred?.provisional && !progress.birthDateVerified) return 'birth_date';
    if (member.onboardingStep === 'birth_date') return progress.birthDateVerified ? 'terms' : 'birth_date';
    if (member.onboardingStep === 'terms') return (await termsPending(em, societyId, member.id)) ? 'terms' : 'user_id';
    return member.onboardingStep as LoginStep;
  }
  const factors = await countFactors(em, member.id);
  if (!progress.secondFactorVerified) {
    // Nothing to prove with (staff removed lost devices), or the member lost it during a reset:
    // the birth date first, then a new factor replaces the lost ones (DESIGN.md §4 reset vs MFA).
    if (factors.otp + factors.passkey === 0 || (progress.recovery && progress.lostDevice)) {
      if (!progress.birthDateVerified) return 'birth_date';
      // Issue 13: a society may require a recovery code on the lost-device path too.
      if (progress.recovery && progress.lostDevice && !progress.recoveryCodeVerified && (await lostDevicePolicy(em, societyId)) === 'require') return 'recovery_code';
      return 'factor_setup';
    }
    return 'second_factor';
  }
  if (progress.recovery && !progress.passwordReset) return 'password';
  if (await termsPending(em, societyId, member.id)) return 'terms';
  return 'done';
}

/** The society's `recoveryCodes.lostDevice` setting (issue 13). */
async function lostDevicePolicy(em: EntityManager, societyId: number): Promise<'off' | 'accept' | 'require'> {
  const society = await em.findOne(Society, { id: societyId });
  return society?.settings.recoveryCodes?.lostDevice ?? 'off';
}
