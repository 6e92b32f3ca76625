import type { EntityManager } from '@mikro-orm/sql';
import type { MemberRow } from '../db/entities/index.js';
import type { CoreContext } from '../context.js';
import { notifyMember } from '../mail/notify-member.js';

/**
 * Runs in the transaction that adds or removes a second factor, so every path (portal, staff,
 * recovery) queues the security notice by mail.
 */
export async function afterFactorChange(em: EntityManager, core: CoreContext, member: MemberRow, change: 'added' | 'removed', name: string): Promise<void> {
  await notifyMember(em, core, member, change === 'added' ? 'factor-added' : 'factor-removed', { factorName: name });
}
