import type { EntityManager } from '@mikro-orm/sql';
import type { MemberRow } from '../db/entities/index.js';
import type { Clock } from '../clock.js';

/**
 * Called in the transaction that adds the first second factor during first login (§2.3 step 6):
 * the member becomes active and reaches the top page from now on through the normal login.
 */
export function finishOnboardingIfDone(_em: EntityManager, clock: Clock, member: MemberRow): void {
  if (member.status === 'provisional' && member.onboardingStep === 'factor_setup') {
    member.status = 'active';
    member.onboardingStep = null;
    member.provisionalExpiresAt = null;
    member.firstLoginAt ??= clock.now();
  }
}
