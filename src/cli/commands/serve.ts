import type { Command } from 'commander';
import type { CliRuntime } from '../runtime.js';
import type { CoreContext } from '../../core/context.js';
import { KosmoError } from '../../core/errors.js';

interface ServeOptions {
  host: string;
  port: string;
  publicUrl?: string;
  trustProxy?: boolean;
}

function parsePort(raw: string): number {
  const port = Number(raw);
  if (!/^\d+$/.test(raw) || port > 65535) throw new KosmoError('INPUT_INVALID', { field: 'port', reason: '0-65535' });
  return port;
}

function parsePublicUrl(raw: string | undefined): string | null {
  if (raw === undefined) return null;
  let url: URL;
  try {
    url = new URL(raw);
  } catch {
    throw new KosmoError('INPUT_INVALID', { field: 'public-url', reason: 'an absolute http(s) URL such as https://portal.example.jp' });
  }
  if (url.protocol !== 'https:' && url.protocol !== 'http:') throw new KosmoError('INPUT_INVALID', { field: 'public-url', reason: 'http(s) only' });
  return url.toString();
}

/** Resolves on the first SIGTERM or SIGINT (a second one exits at once). */
function shutdownSignal(): Promise<NodeJS.Signals> {
  return new Promise((resolve) => {
    const onSignal = (signal: NodeJS.Signals) => {
      process.off('SIGTERM', onSignal);
      process.off('SIGINT', onSignal);
      process.once('SIGINT', () => process.exit(130));
      process.once('SIGTERM', () => process.exit(143));
      resolve(signal);
    };
    process.on('SIGTERM', onSignal);
    process.on('SIGINT', onSignal);
  });
}

/**
 * `kosmo serve`: the member portal. Koa and the templates load through a dynamic import inside
 * the action only, so `kosmo --help` and other commands never pay for them (DESIGN.md §6). The core
 * refuses a database with pending migrations (`kosmo migrate` first). The mail worker runs in the
 * same process (docs/mail.md). SIGTERM / SIGINT stop accepting connections, let in-flight requests
 * finish, stop the mail worker (a mail in flight may finish), then close the database.
 */
export function register(program: Command, runtime: CliRuntime): void {
  program
    .command('serve')
    .description('run the member portal (society chosen by the request host name)')
    .option('--host <host>', 'address to listen on', '127.0.0.1')
    .option('--port <port>', 'port to listen on', '3000')
    .option('--public-url <url>', 'URL members use, e.g. https://portal.example.jp (https: Secure cookies, HSTS)')
    .option('--trust-proxy', 'trust X-Forwarded-* from a reverse proxy (also KOSMO_TRUST_PROXY=1)')
    .action(async (o: ServeOptions) => {
      let core: CoreContext | null = null;
      try {
        const port = parsePort(o.port);
        const publicUrl = parsePublicUrl(o.publicUrl);
        core = await runtime.openCore();
        const { startPortal } = await import('../../portal/server.js');
        const { createMailTransport } = await import('../../core/mail/transport.js');
        // The mail worker runs inside the portal process: KOSMO_SMTP_URL, else the data dir's outbox.
        const transport = createMailTransport(core.config);
        const portal = await startPortal(core, { host: o.host, port, publicUrl, trustProxy: o.trustProxy || core.config.trustProxy, mail: { transport } }).catch((err: unknown) => {
          transport.close();
          throw err;
        });
        const stopped = shutdownSignal();
        process.stdout.write(`kosmo serve: listening on ${portal.url}${publicUrl ? ` (public URL ${publicUrl})` : ''}\n`);
        process.stdout.write(`kosmo serve: mail via ${transport.description}\n`);
        const signal = await stopped;
        process.stdout.write(`kosmo serve: ${signal} received, finishing in-flight requests\n`);
        await portal.close();
        process.stdout.write('kosmo serve: stopped\n');
      } catch (err) {
        runtime.fail(err);
      } finally {
        await core?.db.close().catch(() => undefined);
      }
    });
}
