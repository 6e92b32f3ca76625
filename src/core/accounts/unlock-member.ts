import type { CoreContext } from '../context.js';
import type { Actor } from '../actor.js';
import { recordAudit } from '../audit/record-audit.js';
import { loadThrottleIn } from '../auth/lockout.js';
import { LoginThrottle } from '../db/entities/index.js';
import { memberSubject } from '../auth/throttle-store.js';
import { findMemberByUserId } from './find-member.js';

/** Staff unlock (FAQ Q5/Q6): clears the lock and the failure count. Returns whether it was locked. */
export async function unlockMember(core: CoreContext, actor: Actor, input: { societyId: number; userId: string }): Promise<{ wasLocked: boolean }> {
  const { societyId, userId } = input;
  return core.db.em().transactional(async (em) => {
    const member = await findMemberByUserId(core, societyId, userId, em);
    const row = await loadThrottleIn(em, societyId, member.id);
    const wasLocked = Boolean(row?.lockedAt || (row && row.failures > 0));
    await em.nativeUpdate(LoginThrottle, { society: societyId, subject: memberSubject(member.id) }, { failures: 0, blockedUntil: null, lockedAt: null });
    // Smart lockout: the member's per-client counters (`c:<id>:…`, blocked clients included) go too.
    await em.nativeDelete(LoginThrottle, { society: societyId, subject: { $like: `c:${member.id}:%` } });
    recordAudit(em, core.clock, { societyId, actor, action: 'member.unlock', member, details: { wasLocked } });
    return { wasLocked };
  });
}
