import { Member, Passkey, TotpDevice } from '../db/entities/index.js';
import type { ActingMember } from '../actor.js';
import type { CoreContext } from '../context.js';
import { KosmoError } from '../errors.js';
import { recordAudit } from '../audit/record-audit.js';
import { memberActor } from '../auth/member-actor.js';
import { countFactors } from '../auth/login-step.js';
import { afterFactorChange } from './factor-hooks.js';

/**
 * 削除する (§2.8, manual 3-7): removes one of the member's own second factors. The last one is
 * refused, so a member is never left with the password alone.
 */
export async function deleteFactor(core: CoreContext, acting: ActingMember, factor: { kind: 'otp' | 'passkey'; id: number }): Promise<string> {
  const { societyId, memberId, ip } = acting;
  return core.db.em().transactional(async (em) => {
    const member = await em.findOneOrFail(Member, { id: memberId, society: societyId });
    const row = factor.kind === 'otp' ? await em.findOne(TotpDevice, { id: factor.id, member: memberId }) : await em.findOne(Passkey, { id: factor.id, member: memberId });
    if (!row) throw new KosmoError('NOT_FOUND');
    const counts = await countFactors(em, memberId);
    if (counts.otp + counts.passkey <= 1) throw new KosmoError('LAST_FACTOR');
    const name = 'name' in row ? row.name : row.label;
    em.remove(row);
    recordAudit(em, core.clock, { societyId, actor: memberActor(member, ip), action: 'factor.remove', member, details: { kind: factor.kind, name } });
    await afterFactorChange(em, core, member, 'removed', name);
    return name;
  });
}
