import { Session } from '../db/entities/index.js';
import type { CoreContext } from '../context.js';

/** Deletes sessions past either deadline (the portal runs this every few minutes). */
export async function purgeExpiredSessions(core: CoreContext): Promise<number> {
  const now = core.clock.now();
  return core.db.em().nativeDelete(Session, { $or: [{ idleExpiresAt: { $lte: now } }, { absoluteExpiresAt: { $lte: now } }] });
}
