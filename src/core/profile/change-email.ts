import { Member } from '../db/entities/index.js';
import type { ActingMember } from '../actor.js';
import type { CoreContext } from '../context.js';
import { recordAudit } from '../audit/record-audit.js';
import { memberActor } from '../auth/member-actor.js';
import { assignEmail } from '../accounts/assign-email.js';
import { notifyMember } from '../mail/notify-member.js';

/** Keeps the first character of the local part and the domain: `t***@example.jp`. */
export function maskEmail(email: string): string {
  const at = email.lastIndexOf('@');
  return `${email.slice(0, 1)}***${email.slice(at)}`;
}

/**
 * Eメール変更 → メールアドレスの更新 (§2.7, manual 3-5): the four errors of §2.3 step 5; a notice goes
 * to the old address (with the new one masked) so a hijacked session cannot quietly move it.
 */
export async function changeEmail(core: CoreContext, acting: ActingMember, input: unknown): Promise<string> {
  const { societyId, memberId, ip } = acting;
  return core.db.em().transactional(async (em) => {
    const member = await em.findOneOrFail(Member, { id: memberId, society: societyId });
    const before = member.email ?? null;
    const after = await assignEmail(em, member, input);
    member.updatedAt = core.clock.now();
    recordAudit(em, core.clock, { societyId, actor: memberActor(member, ip), action: 'member.email', member, details: { changed: before !== after } });
    if (before && before !== after) await notifyMember(em, core, member, 'email-changed', { newAddressMasked: maskEmail(after) }, before);
    return after;
  });
}
