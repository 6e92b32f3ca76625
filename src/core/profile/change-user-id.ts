import { Member } from '../db/entities/index.js';
import type { ActingMember } from '../actor.js';
import type { CoreContext } from '../context.js';
import { KosmoError } from '../errors.js';
import { recordAudit } from '../audit/record-audit.js';
import { memberActor } from '../auth/member-actor.js';
import { assignUserId } from '../accounts/assign-user-id.js';
import { normalizeUserId } from '../accounts/user-id.js';

/** プロフィール変更 → ユーザIDの変更 (§2.7, manual 3-1): same rules as at first login. */
export async function changeUserId(core: CoreContext, acting: ActingMember, input: unknown): Promise<string> {
  const { societyId, memberId, ip } = acting;
  return core.db.em().transactional(async (em) => {
    const member = await em.findOneOrFail(Member, { id: memberId, society: societyId });
    const before = member.userId;
    if (normalizeUserId(input) === before) throw new KosmoError('USER_ID_UNCHANGED');
    const after = await assignUserId(em, member, input);
    member.updatedAt = core.clock.now();
    recordAudit(em, core.clock, { societyId, actor: memberActor(member, ip), action: 'member.user_id', member, details: { before, after } });
    return after;
  });
}
