import type { EntityManager } from '@mikro-orm/sql';
import type { MemberRow } from '../db/entities/index.js';
import type { CoreContext } from '../context.js';

/**
 * Runs in the transaction that adds or removes a second factor. Security notices by mail hook in
 * here, so every path (portal, staff, recovery) sends them.
 */
export async function afterFactorChange(_em: EntityManager, _core: CoreContext, _member: MemberRow, _change: 'added' | 'removed', _name: string): Promise<void> {
  // The mail notice is queued here once the mail layer exists.
}
