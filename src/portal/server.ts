import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { type CoreContext, KosmoError, pendingMigrations, purgeStaleState, purgeExpiredOidcState, startMailWorker, type MailWorker, type MailTransport, type DeliveryResult } from '../core/index.js';
import { createPortalApp } from './app.js';
import { jsonLogger, type PortalLogger } from './logger.js';
import type { PortalOptions } from './types.js';
import type { RunningMetrics } from './metrics/index.js';
import { listenOn } from './listen.js';

export interface StartOptions extends Omit<PortalOptions, 'publicUrl' | 'trustProxy'> {
  host?: string;
  port?: number;
  publicUrl?: string | null;
  trustProxy?: PortalOptions['trustProxy'];
  /** How long close() waits for in-flight requests before cutting connections. */
  shutdownGraceMs?: number;
  /**
   * Run the mail worker (`kosmo serve` does): it delivers the queued mails through `transport`,
   * woken when this process commits a queued mail, polling every `intervalMs` (default 5 s) only
   * while mail waits in the queue, and woken by the ten-minute housekeeping for mail other processes
   * queued (mail-worker.ts). close() stops it.
   */
  mail?: { transport: MailTransport; intervalMs?: number } | null;
  /**
   * Prometheus metrics on a separate HTTP server (`--metrics-port`, docs/operations.md), on the
   * loopback address unless `host` says otherwise; off when absent. prom-client is loaded only
   * then. close() closes it after the portal.
   */
  metrics?: { port: number; host?: string } | null;
}

export interface RunningPortal {
  /** Where the server listens (http://host:port). */
  url: string;
  server: Server;
  /** The mail worker, when started with `mail`. */
  mailWorker: MailWorker | null;
  /** The scrape URL (http://127.0.0.1:port/metrics) when started with `metrics`, else null. */
  metricsUrl: string | null;
  /**
   * Stops accepting connections and waits for in-flight requests, then stops the mail worker (the
   * batch in flight may finish, within the grace period) and closes its transport. The database
   * stays open.
   */
  close(): Promise<void>;
}

export const MAIL_POLL_MS = 5_000;

const PURGE_EVERY_MS = 10 * 60_000;

/**
 * Starts the portal on an open core. Refuses to start on a database with pending migrations
 * (DESIGN.md §2: the schema comes from `kosmo migrate` only). Time-outs bound slow clients
 * (Slowloris); expired sessions are purged every ten minutes.
 */
export async function startPortal(core: CoreContext, opts: StartOptions = {}): Promise<RunningPortal> {
  const pending = await pendingMigrations(core);
  if (pending.length > 0) throw new KosmoError('MIGRATIONS_PENDING', { pending, reason: 'run `kosmo migrate`' });
  if (opts.publicUrl) {
    const u = new URL(opts.publicUrl);
    if (u.protocol !== 'https:' && u.protocol !== 'http:') throw new KosmoError('CONFIG_INVALID', { reason: '--public-url must be an http(s) URL' });
  }
  const log: PortalLogger = opts.log ?? jsonLogger();
  // Metrics first: a busy metrics port stops the start before the portal takes its port.
  const metrics: RunningMetrics | null = opts.metrics ? await (await import('./metrics/index.js')).startMetrics(core, { host: opts.metrics.host ?? '127.0.0.1', port: opts.metrics.port, log }) : null;
  // The worker wakes itself when a request commits a queued mail (no poll per POST); it starts
  // once the port is ours.
  let mailWorker: MailWorker | null = null;
  const app = createPortalApp(core, { ...opts, log, requestObserver: metrics });
  const server = createServer({ requestTimeout: 30_000, headersTimeout: 20_000, keepAliveTimeout: 5_000 }, app.callback());
  await listenOn(server, opts.port ?? 3000, opts.host ?? '127.0.0.1', 'port').catch(async (err: unknown) => {
    await metrics?.close();
    throw err;
  });
  const purge = setInterval(() => {
    purgeStaleState(core).catch((e: Error) => log.error({ msg: 'housekeeping failed', error: e?.name }));
    purgeExpiredOidcState(core).catch((e: Error) => log.error({ msg: 'housekeeping failed', error: e?.name }));
  }, PURGE_EVERY_MS);
  purge.unref();
  if (opts.mail) mailWorker = startPortalMailWorker(core, opts.mail, log, metrics?.onMailBatch);

  const address = server.address() as AddressInfo;
  const host = address.family === 'IPv6' ? `[${address.address}]` : address.address;
  let closing: Promise<void> | null = null;
  // After the last request: no new batch starts; one in flight (a slow SMTP server) may finish
  // within the grace period. A mail cut off then is still `pending` under its lease and goes out
  // after the next start — nothing is lost (docs/mail.md).
  const stopMail = async () => {
    if (!mailWorker || !opts.mail) return;
    const grace = new Promise<'timeout'>((r) => setTimeout(r, opts.shutdownGraceMs ?? 10_000, 'timeout').unref());
    if ((await Promise.race([mailWorker.stop().then(() => 'stopped' as const), grace])) === 'timeout') log.error({ msg: 'mail worker still sending at shutdown; the mail stays queued' });
    opts.mail.transport.close();
  };
  return {
    url: `http://${host}:${address.port}`,
    server,
    mailWorker,
    metricsUrl: metrics?.url ?? null,
    close() {
      closing ??= new Promise<void>((resolve) => {
        clearInterval(purge);
        const force = setTimeout(() => server.closeAllConnections(), opts.shutdownGraceMs ?? 10_000);
        force.unref();
        // Keep-alive sockets become idle as their last response goes out: close them as they do.
        const idle = setInterval(() => server.closeIdleConnections(), 100);
        idle.unref();
        // close() stops accepting and resolves once every in-flight request has been answered.
        server.close(() => {
          clearTimeout(force);
          clearInterval(idle);
          stopMail()
            .then(() => metrics?.close())
            .then(resolve, resolve);
        });
        server.closeIdleConnections();
      });
      return closing;
    },
  };
}

/** The worker of `kosmo serve`: batch results and failures go to the portal log (never a body). */
function startPortalMailWorker(core: CoreContext, mail: NonNullable<StartOptions['mail']>, log: PortalLogger, onBatch?: (r: DeliveryResult) => void): MailWorker {
  return startMailWorker(core, mail.transport, {
    intervalMs: mail.intervalMs ?? MAIL_POLL_MS,
    onBatch: (r) => {
      onBatch?.(r);
      if (r.sent + r.failed + r.retried > 0) log.info({ msg: 'mail delivery', transport: mail.transport.description, ...r });
    },
    onError: (err) => log.error({ msg: 'mail delivery failed', error: (err as Error)?.name, message: String((err as Error)?.message ?? err).slice(0, 300) }),
  });
}
