import type { EntityManager } from '@mikro-orm/sql';
import type { MemberRow } from '../db/entities/index.js';
import type { CoreContext } from '../context.js';
import { notifyMember } from '../mail/notify-member.js';

/** Runs in the transaction that changes a member's password: queues the security notice. */
export async function afterPasswordChange(em: EntityManager, core: CoreContext, member: MemberRow): Promise<void> {
  await notifyMember(em, core, member, 'password-changed', {});
}
