import type { CoreContext } from '../context.js';
import type { ActingMember } from '../actor.js';
import { countFactors } from '../auth/login-step.js';

/** How many authenticator-app devices and passkeys a member has. */
export async function factorCounts(core: CoreContext, acting: ActingMember): Promise<{ otp: number; passkey: number }> {
  const { memberId } = acting;
  return countFactors(core.db.em(), memberId);
}
