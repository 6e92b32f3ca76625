import type { EntityManager } from '@mikro-orm/sql';
import type { MemberRow } from '../db/entities/index.js';
import type { CoreContext } from '../context.js';

/** Runs in the transaction that changes a member's password: the security notice hooks in here. */
export async function afterPasswordChange(_em: EntityManager, _core: CoreContext, _member: MemberRow): Promise<void> {
  // The mail notice is queued here once the mail layer exists.
}
