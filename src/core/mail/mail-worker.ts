import type { CoreContext } from '../context.js';
import { deliverPendingMail, type DeliveryResult } from './deliver-mail.js';
import type { MailTransport } from './transport.js';

export interface MailWorkerOptions {
  /** Pause between polls when the queue is empty. */
  intervalMs: number;
  /** Mails per batch (default 20). A full batch is followed at once by the next. */
  limit?: number;
  /** A batch that threw (e.g. the database is unreachable); the worker keeps polling. */
  onError?: (err: unknown) => void;
  onBatch?: (result: DeliveryResult) => void;
}

export interface MailWorker {
  /** Run a batch now instead of waiting for the next poll (e.g. right after a reset request). */
  wake(): void;
  /** No new batch starts; resolves once the batch in flight has finished. */
  stop(): Promise<void>;
}

/** Polls the queue and delivers due mails until stopped (`kosmo serve` runs one). */
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

  const runBatches = async () => {
    for (;;) {
      wakeRequested = false;
      let result: DeliveryResult;
      try {
        result = await deliverPendingMail(core, transport, { limit });
      } catch (err) {
        options.onError?.(err);
        return;
      }
      options.onBatch?.(result);
      const full = result.sent + result.failed + result.retried >= limit;
      if (stopped || (!full && !wakeRequested)) return;
    }
  };

  function run(): void {
    timer = undefined;
    if (stopped || inFlight) return;
    inFlight = runBatches().finally(() => {
      inFlight = null;
      schedule(options.intervalMs);
    });
  }

  schedule(0);
  return {
    wake() {
      if (stopped) return;
      if (inFlight) wakeRequested = true;
      else schedule(0);
    },
    async stop() {
      stopped = true;
      if (timer) clearTimeout(timer);
      timer = undefined;
      await inFlight;
    },
  };
}
