import { Member, Society, type SecondFactorMethod } from '../db/entities/index.js';
import type { ActingMember } from '../actor.js';
import type { CoreContext } from '../context.js';
import { KosmoError } from '../errors.js';
import { recordAudit } from '../audit/record-audit.js';
import { memberActor } from '../auth/member-actor.js';
import { assignUserId } from '../accounts/assign-user-id.js';

/**
 * ユーザIDの変更 at first login (§2.3 step 3): the member's own user ID and the second-factor method.
 * `passkey` is accepted only when the browser reported a platform authenticator (the portal checks
 * and passes `platformAuthenticator`).
 */
export async function chooseUserIdAndMethod(core: CoreContext, acting: ActingMember, input: { userId: unknown; method: unknown; platformAuthenticator: boolean }): Promise<void> {
  const { societyId, memberId, ip } = acting;
  await core.db.em().transactional(async (em) => {
    const member = await em.findOneOrFail(Member, { id: memberId, society: societyId });
    const society = await em.findOneOrFail(Society, { id: societyId });
    const before = member.userId;
    await assignUserId(em, member, input.userId);
    if (input.method !== 'passkey' && input.method !== 'otp') throw new KosmoError('METHOD_REQUIRED');
    const method = input.method as SecondFactorMethod;
    if (!society.settings.allowedFactors.includes(method) || (method === 'passkey' && !input.platformAuthenticator)) {
      throw new KosmoError('METHOD_NOT_ALLOWED');
    }
    member.preferredMethod = method;
    if (member.onboardingStep === 'user_id' || member.onboardingStep === 'terms') member.onboardingStep = 'password';
    member.updatedAt = core.clock.now();
    recordAudit(em, core.clock, { societyId, actor: memberActor(member, ip), action: 'member.user_id', member, details: { before, after: member.userId, method } });
  });
}
