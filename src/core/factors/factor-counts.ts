import type { CoreContext } from '../context.js';
import { countFactors } from '../auth/login-step.js';

/** How many authenticator-app devices and passkeys a member has. */
export async function factorCounts(core: CoreContext, memberId: number): Promise<{ otp: number; passkey: number }> {
  return countFactors(core.db.em(), memberId);
}
