import { Session } from '../db/entities/index.js';
import type { CoreContext } from '../context.js';
import type { Actor } from '../actor.js';
import { recordAudit } from '../audit/record-audit.js';
import { findMemberByUserId } from './find-member.js';

/**
 * Disable ends every session of the member at once; enable returns the member to where they were
 * (provisional members stay provisional: the first-login steps still apply).
 */
export async function setMemberDisabled(core: CoreContext, actor: Actor, input: { societyId: number; userId: string; disabled: boolean }): Promise<{ changed: boolean }> {
  const { societyId, userId, disabled } = input;
  return core.db.em().transactional(async (em) => {
    const member = await findMemberByUserId(core, societyId, userId, em);
    let changed = false;
    if (disabled && member.status !== 'disabled') {
      member.status = 'disabled';
      changed = true;
      await em.nativeDelete(Session, { member: member.id });
    } else if (!disabled && member.status === 'disabled') {
      member.status = member.onboardingStep ? 'provisional' : 'active';
      changed = true;
    }
    member.updatedAt = core.clock.now();
    recordAudit(em, core.clock, { societyId, actor, action: disabled ? 'member.disable' : 'member.enable', member, details: { changed } });
    return { changed };
  });
}
