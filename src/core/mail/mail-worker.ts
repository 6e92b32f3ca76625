import type { CoreContext } from '../context.js';
import { MailMessage } from '../db/entities/index.js';
import { watchCommittedWrites } from '../db/watch-commits.js';
import { deliverPendingMail, type DeliveryResult } from './deliver-mail.js';
import type { MailTransport } from './transport.js';

export interface MailWorkerOptions {
  /** Pause between polls while mail waits in the queue (a retry's back-off, another worker's lease). */
  intervalMs: number;
  /**
   * While the queue is empty: how often one indexed look (no batch) checks for mail that another
   * process queued (staff's `kosmo member issue --mail`); default 15 s.
   */
  idleCheckMs?: number;
  /** Mails per batch (default 20). A full batch is followed at once by the next. */
  limit?: number;
  /** A batch that threw (e.g. the database is unreachable); the worker keeps polling. */
  onError?: (err: unknown) => void;
  onBatch?: (result: DeliveryResult) => void;
}

export interface MailWorker {
  /** Run a batch now instead of waiting (e.g. mail queued by another process, `kosmo mail deliver`'s job). */
  wake(): void;
  /** No new batch starts; resolves once the batch in flight has finished. */
  stop(): Promise<void>;
}

/**
 * Delivers the queue until stopped (`kosmo serve` runs one). It polls only while mail waits:
 * - at start, one batch (mail left from before);
 * - whenever this process commits a queued mail (a reset request, a factor added …): the worker
 *   watches MikroORM's commits, so a request that queued nothing costs nothing;
 * - then every `intervalMs` for as long as the queue still holds `pending` mail (retries in their
 *   back-off, mail claimed by another worker), and not at all once it is empty;
 * - while the queue is empty, one indexed existence check every `idleCheckMs` (15 s) finds mail
 *   that other processes queued (e.g. `kosmo member issue --mail`) without running a batch;
 * - `wake()`: at once.
 */
export function startMailWorker(core: CoreContext, transport: MailTransport, options: MailWorkerOptions): MailWorker {
  const limit = options.limit ?? 20;
  let stopped = false;
  let timer: NodeJS.Timeout | undefined;
  let inFlight: Promise<void> | null = null;
  let wakeRequested = false;

  const schedule = (ms: number) => {
    if (stopped) return;
    if (timer) clearTimeout(timer);
    timer = setTimeout(run, ms);
    timer.unref();
  };

  /** Whether to poll again: true while any mail waits (or when the queue could not be read). */
  const runBatches = async (): Promise<boolean> => {
    for (;;) {
      wakeRequested = false;
      let result: DeliveryResult;
      try {
        result = await deliverPendingMail(core, transport, { limit });
      } catch (err) {
        options.onError?.(err);
        return true;
      }
      options.onBatch?.(result);
      const full = result.sent + result.failed + result.retried >= limit;
      if (stopped) return false;
      if (full || wakeRequested) continue;
      try {
        return await queueHoldsMail(core);
      } catch (err) {
        options.onError?.(err);
        return true;
      }
    }
  };

  function run(): void {
    timer = undefined;
    if (stopped || inFlight) return;
    inFlight = runBatches()
      .then((again) => {
        inFlight = null;
        if (wakeRequested) schedule(0);
        else if (again) schedule(options.intervalMs);
        else scheduleIdleCheck();
      })
      .catch(() => {
        inFlight = null;
      });
  }

  /** The queue is empty: look again later, cheaply, and start batches only when mail is there. */
  const scheduleIdleCheck = () => {
    if (stopped) return;
    if (timer) clearTimeout(timer);
    timer = setTimeout(() => {
      timer = undefined;
      queueHoldsMail(core).then(
        (has) => (has ? run() : scheduleIdleCheck()),
        (err: unknown) => (options.onError?.(err), scheduleIdleCheck()),
      );
    }, options.idleCheckMs ?? 15_000);
    timer.unref();
  };

  const wake = () => {
    if (stopped) return;
    if (inFlight) wakeRequested = true;
    else schedule(0);
  };
  const unwatch = watchCommittedWrites(core.db.orm, (entity) => entity instanceof MailMessage.class, wake);

  schedule(0);
  return {
    wake,
    async stop() {
      stopped = true;
      unwatch();
      if (timer) clearTimeout(timer);
      timer = undefined;
      await inFlight;
    },
  };
}

/** One indexed look at the queue: is any mail still `pending` (due or not)? */
async function queueHoldsMail(core: CoreContext): Promise<boolean> {
  const rows = await core.db.store.all(`SELECT 1 AS pending FROM mail_message WHERE status = 'pending' LIMIT 1`);
  return rows.length > 0;
}
