import type { Command } from 'commander';
import type { CliRuntime } from '../runtime.js';
import { type CoreContext, KosmoError, type TrustProxy } from '../../core/index.js';

interface ServeOptions {
  host: string;
  port: string;
  publicUrl?: string;
  trustProxy?: boolean | string;
  metricsPort?: string;
  metricsHost?: string;
}

function parsePort(raw: string): number {
  const port = Number(raw);
  if (!/^\d+$/.test(raw) || port > 65535) throw new KosmoError('INPUT_INVALID', { field: 'port', reason: 'RANGE', min: 0, max: 65535 });
  return port;
}

/** `--metrics-port` / `--metrics-host`: off unless the port is given; loopback by default. */
function parseMetrics(o: ServeOptions, port: number, runtime: CliRuntime): { port: number; host: string } | null {
  if (o.metricsPort === undefined) {
    if (o.metricsHost !== undefined) throw new KosmoError('INPUT_INVALID', { field: 'metrics-host', reason: runtime.t('serve.metricsHostNeedsPort') });
    return null;
  }
  const raw = o.metricsPort;
  const metricsPort = Number(raw);
  if (!/^\d{1,5}$/.test(raw) || metricsPort > 65535) throw new KosmoError('INPUT_INVALID', { field: 'metrics-port', reason: runtime.t('serve.metricsPortRange') });
  if (metricsPort !== 0 && metricsPort === port) throw new KosmoError('INPUT_INVALID', { field: 'metrics-port', reason: runtime.t('serve.metricsPortSame') });
  return { port: metricsPort, host: o.metricsHost ?? '127.0.0.1' };
}

/** `--trust-proxy` alone is one proxy; `--trust-proxy 2`, `--trust-proxy 10.0.0.1,10.0.0.0/8`. */
async function parseTrustProxyFlag(raw: boolean | string | undefined): Promise<TrustProxy | undefined> {
  if (raw === undefined) return undefined;
  const { parseTrustProxy } = await import('../../core/index.js');
  const r = parseTrustProxy(raw);
  if ('problem' in r) throw new KosmoError('INPUT_INVALID', { ...r.params, field: 'trust-proxy', reason: r.problem });
  return r.value;
}

function parsePublicUrl(raw: string | undefined): string | null {
  if (raw === undefined) return null;
  let url: URL;
  try {
    url = new URL(raw);
  } catch {
    throw new KosmoError('INPUT_INVALID', { field: 'public-url', reason: 'HTTP_URL' });
  }
  if (url.protocol !== 'https:' && url.protocol !== 'http:') throw new KosmoError('INPUT_INVALID', { field: 'public-url', reason: 'HTTP_URL' });
  return url.toString();
}

/**
 * The address to print: `localhost` when bound to a loopback or wildcard address (the default is
 * 127.0.0.1). Browsers offer passkeys (生体認証) only on a host name — `localhost` counts as secure
 * — never on an IP-address origin (docs/operations.md). The bind address itself is unchanged.
 */
function displayUrl(url: string): string {
  const u = new URL(url);
  if (['127.0.0.1', '[::1]', '0.0.0.0', '[::]'].includes(u.hostname)) u.hostname = 'localhost';
  return u.toString();
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
 * finish, stop the mail worker (a mail in flight may finish) and the metrics server
 * (`--metrics-port`, docs/operations.md; prom-client loads only then), then close the database.
 * Before it opens anything it re-executes itself under the portal's memory limits (serve-memory.ts).
 */
export function register(program: Command, runtime: CliRuntime): void {
  program
    .command('serve')
    .description(runtime.t('help.serve'))
    .option('--host <host>', runtime.t('help.serve.host'), '127.0.0.1')
    .option('--port <port>', runtime.t('help.serve.port'), '3000')
    .option('--public-url <url>', runtime.t('help.serve.publicUrl'))
    .option('--trust-proxy [proxies]', runtime.t('help.serve.trustProxy'))
    .option('--metrics-port <port>', runtime.t('help.serve.metricsPort'))
    .option('--metrics-host <host>', runtime.t('help.serve.metricsHost'))
    .action(async (o: ServeOptions) => {
      let core: CoreContext | null = null;
      try {
        const port = parsePort(o.port);
        const publicUrl = parsePublicUrl(o.publicUrl);
        const trustProxy = await parseTrustProxyFlag(o.trustProxy);
        const metrics = parseMetrics(o, port, runtime);
        // Memory limits (young generation, malloc arenas) need a fresh process: from here on this
        // one is replaced by `node <flags> bin/kosmo.js serve …` with the same arguments (serve-memory.ts).
        (await import('../serve-memory.js')).execUnderMemoryLimits();
        core = await runtime.openCore();
        const { startPortal } = await import('../../portal/server.js');
        const { createMailTransport } = await import('../../core/index.js');
        // The mail worker runs inside the portal process: KOSMO_SMTP_URL, else the data dir's outbox.
        const transport = createMailTransport(core.config);
        const portal = await startPortal(core, { host: o.host, port, publicUrl, trustProxy: trustProxy ?? core.config.trustProxy, mail: { transport }, metrics }).catch((err: unknown) => {
          transport.close();
          throw err;
        });
        const stopped = shutdownSignal();
        const say = (key: string, vars: Record<string, unknown> = {}) => process.stdout.write(runtime.t(key, vars) + '\n');
        say('serve.listening', { url: displayUrl(portal.url) + (publicUrl ? runtime.t('serve.publicUrl', { publicUrl }) : '') });
        say('serve.mail', { transport: transport.description });
        if (portal.metricsUrl) say('serve.metrics', { url: portal.metricsUrl });
        const signal = await stopped;
        say('serve.stopping', { signal });
        await portal.close();
        say('serve.stopped');
      } catch (err) {
        runtime.fail(err);
      } finally {
        if (core) await (await import('../../core/index.js')).closeCore(core).catch(() => undefined);
      }
    });
}
