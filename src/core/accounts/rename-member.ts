import type { CoreContext } from '../context.js';
import type { Actor } from '../actor.js';
import { recordAudit } from '../audit/record-audit.js';
import { findMemberByUserId } from './find-member.js';
import { validateMemberInput } from './member-input.js';

/** Staff correct a member's name (FAQ Q13: members cannot change it themselves). */
export async function renameMember(core: CoreContext, actor: Actor, input: { societyId: number; userId: string; name?: unknown; kana?: unknown }) {
  const { societyId, userId } = input;
  return core.db.em().transactional(async (em) => {
    const member = await findMemberByUserId(core, societyId, userId, em);
    const valid = validateMemberInput({ name: input.name ?? member.name, kana: input.kana ?? member.kana, birthDate: member.birthDate }, core.clock.now());
    const before = { name: member.name, kana: member.kana };
    member.name = valid.name;
    member.kana = valid.kana;
    member.updatedAt = core.clock.now();
    recordAudit(em, core.clock, { societyId, actor, action: 'member.rename', member, details: { before, after: { name: member.name, kana: member.kana } } });
    return { userId: member.userId, name: member.name, kana: member.kana };
  });
}
