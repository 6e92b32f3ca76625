import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import type { CoreContext } from '../core/context.js';
import { KosmoError } from '../core/errors.js';
import { pendingMigrations } from '../core/db/orm.js';
import { purgeExpiredSessions } from '../core/sessions/purge-expired-sessions.js';
import { createPortalApp } from './app.js';
import { jsonLogger, type PortalLogger } from './logger.js';
import type { PortalOptions } from './types.js';

export interface StartOptions extends Omit<PortalOptions, 'publicUrl' | 'trustProxy'> {
  host?: string;
  port?: number;
  publicUrl?: string | null;
  trustProxy?: boolean;
  /** How long close() waits for in-flight requests before cutting connections. */
  shutdownGraceMs?: number;
}

export interface RunningPortal {
  /** Where the server listens (http://host:port). */
  url: string;
  server: Server;
  /** Stops accepting connections and waits for in-flight requests. The database stays open. */
  close(): Promise<void>;
}

const PURGE_EVERY_MS = 10 * 60_000;

/**
 * Starts the portal on an open core. Refuses to start on a database with pending migrations
 * (DESIGN.md §2: the schema comes from `kosmo migrate` only). Time-outs bound slow clients
 * (Slowloris); expired sessions are purged every ten minutes.
 */
export async function startPortal(core: CoreContext, opts: StartOptions = {}): Promise<RunningPortal> {
  const pending = await pendingMigrations(core.db);
  if (pending.length > 0) throw new KosmoError('MIGRATIONS_PENDING', { pending, reason: 'run `kosmo migrate`' });
  if (opts.publicUrl) {
    const u = new URL(opts.publicUrl);
    if (u.protocol !== 'https:' && u.protocol !== 'http:') throw new KosmoError('CONFIG_INVALID', { reason: '--public-url must be an http(s) URL' });
  }
  const log: PortalLogger = opts.log ?? jsonLogger();
  const app = createPortalApp(core, { ...opts, log });
  const server = createServer({ requestTimeout: 30_000, headersTimeout: 20_000, keepAliveTimeout: 5_000 }, app.callback());
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(opts.port ?? 3000, opts.host ?? '127.0.0.1', () => {
      server.off('error', reject);
      resolve();
    });
  });
  const purge = setInterval(() => {
    purgeExpiredSessions(core).catch((e: Error) => log.error({ msg: 'session purge failed', error: e?.name }));
  }, PURGE_EVERY_MS);
  purge.unref();

  const address = server.address() as AddressInfo;
  const host = address.family === 'IPv6' ? `[${address.address}]` : address.address;
  let closing: Promise<void> | null = null;
  return {
    url: `http://${host}:${address.port}`,
    server,
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
          resolve();
        });
        server.closeIdleConnections();
      });
      return closing;
    },
  };
}
