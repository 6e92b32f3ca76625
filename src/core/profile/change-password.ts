import { Member } from '../db/entities/index.js';
import type { ActingMember } from '../actor.js';
import type { CoreContext } from '../context.js';
import { recordAudit } from '../audit/record-audit.js';
import { memberActor } from '../auth/member-actor.js';
import { replacePassword } from '../credentials/password/replace-password.js';
import { afterPasswordChange } from './profile-hooks.js';

/** ログイン方法変更 → パスワードの更新 (§2.8, manual 3-2): a new password; its creation date changes. */
export async function changePassword(core: CoreContext, acting: ActingMember, input: { password: unknown; confirm: unknown }): Promise<void> {
  const { societyId, memberId, ip } = acting;
  await core.db.em().transactional(async (em) => {
    const member = await em.findOneOrFail(Member, { id: memberId, society: societyId });
    await replacePassword(core, em, member, input.password, input.confirm);
    member.updatedAt = core.clock.now();
    recordAudit(em, core.clock, { societyId, actor: memberActor(member, ip), action: 'password.change', member });
    await afterPasswordChange(em, core, member);
  });
}
