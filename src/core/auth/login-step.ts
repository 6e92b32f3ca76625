import type { EntityManager } from '@mikro-orm/sql';
import { Passkey, TotpDevice } from '../db/entities/index.js';
import type { StoreQueries } from '../db/store/store.js';
import { loginFacts, type LoginFacts } from './login-facts.js';
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
export function decideLoginStep(facts: LoginFacts, progress: LoginProgress): LoginStep {
  const onboarding = facts.onboardingStep;
  if (facts.member.status === 'provisional' && onboarding) {
    if (facts.provisionalPassword && !progress.birthDateVerified) return 'birth_date';
    if (onboarding === 'birth_date') return progress.birthDateVerified ? 'terms' : 'birth_date';
    if (onboarding === 'terms') return facts.termsPending ? 'terms' : 'user_id';
    return onboarding as LoginStep;
  }
  if (!progress.secondFactorVerified) {
    // Nothing to prove with (staff removed lost devices), or the member lost it during a reset:
    // the birth date first, then a new factor replaces the lost ones (DESIGN.md §4 reset vs MFA).
    if (facts.otp + facts.passkey === 0 || (progress.recovery && progress.lostDevice)) {
      if (!progress.birthDateVerified) return 'birth_date';
      // Issue 13: a society may require a recovery code on the lost-device path too.
      if (progress.recovery && progress.lostDevice && !progress.recoveryCodeVerified && facts.lostDeviceRecoveryCode === 'require') return 'recovery_code';
      return 'factor_setup';
    }
    return 'second_factor';
  }
  if (progress.recovery && !progress.passwordReset) return 'password';
  if (facts.termsPending) return 'terms';
  return 'done';
}

/** The next step of a member's login, read and decided (null: no such member in the society). */
export async function nextLoginStep(store: StoreQueries, societyId: number, memberId: number, progress: LoginProgress): Promise<LoginStep | null> {
  const facts = await loginFacts(store, societyId, memberId);
  return facts ? decideLoginStep(facts, progress) : null;
}
