import { MailMessage } from '../db/entities/index.js';
import type { CoreContext } from '../context.js';

/** How many mails wait in the queue (`pending`) and how many were given up (`failed`). */
export interface MailQueueDepth {
  pending: number;
  failed: number;
}

/**
 * The queue depth over all societies, for monitoring (the metrics endpoint asks at every scrape):
 * two counts on the indexed `status` column, no row is loaded.
 */
export async function mailQueueDepth(core: CoreContext): Promise<MailQueueDepth> {
  const em = core.db.em();
  const pending = await em.count(MailMessage, { status: 'pending' });
  const failed = await em.count(MailMessage, { status: 'failed' });
  return { pending, failed };
}
