import { Session } from '../db/entities/index.js';
import type { CoreContext } from '../context.js';
import { purgeUnknownSubjects } from '../auth/throttle-store.js';
import { purgeIdleClientSubjects } from '../auth/attempt-client.js';
import { purgeRateWindows } from '../recovery/recovery-limits.js';

/** Deletes sessions past either deadline (the portal runs this every few minutes). */
export async function purgeExpiredSessions(core: CoreContext): Promise<number> {
  const now = core.clock.now();
  return core.db.em().nativeDelete(Session, { $or: [{ idleExpiresAt: { $lte: now } }, { absoluteExpiresAt: { $lte: now } }] });
}

/** The portal's housekeeping: expired sessions, stale counters of unknown user IDs, ended rate windows. */
export async function purgeStaleState(core: CoreContext): Promise<void> {
  await purgeExpiredSessions(core);
  await purgeUnknownSubjects(core.db.store, core.clock.now());
  await purgeIdleClientSubjects(core.db.store, core.clock.now());
  await purgeRateWindows(core);
}
