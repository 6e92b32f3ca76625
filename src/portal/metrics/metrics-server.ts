import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import type { Registry } from 'prom-client';
import type { PortalLogger } from '../logger.js';
import { listenOn } from '../listen.js';

export interface MetricsServer {
  /** Where the scrape endpoint is, e.g. http://127.0.0.1:9464/metrics. */
  url: string;
  close(): Promise<void>;
}

/**
 * The scrape endpoint on its own node:http server, never on the portal's Koa app: the portal's
 * port does not expose metrics, whatever a reverse proxy forwards. Only `GET /metrics` (and HEAD)
 * answer; anything else is 404 / 405 with no body worth reading.
 */
export async function startMetricsServer(registry: Registry, opts: { host: string; port: number; log: PortalLogger }): Promise<MetricsServer> {
  const server = createServer({ requestTimeout: 10_000, headersTimeout: 10_000, keepAliveTimeout: 5_000 }, (req, res) => {
    const path = (req.url ?? '/').split('?')[0];
    const send = (status: number, type: string, body: string, extra: Record<string, string> = {}) => {
      res.writeHead(status, { 'Content-Type': type, 'Cache-Control': 'no-store', 'X-Content-Type-Options': 'nosniff', ...extra });
      res.end(req.method === 'HEAD' ? undefined : body);
    };
    if (path !== '/metrics') return send(404, 'text/plain; charset=utf-8', 'not found\n');
    if (req.method !== 'GET' && req.method !== 'HEAD') return send(405, 'text/plain; charset=utf-8', 'method not allowed\n', { Allow: 'GET, HEAD' });
    registry.metrics().then(
      (text) => send(200, registry.contentType, text),
      (err: unknown) => {
        opts.log.error({ msg: 'metrics: scrape failed', error: (err as Error)?.name });
        send(500, 'text/plain; charset=utf-8', 'metrics unavailable\n');
      },
    );
  });
  await listenOn(server, opts.port, opts.host, 'metrics-port');
  const address = server.address() as AddressInfo;
  const host = address.family === 'IPv6' ? `[${address.address}]` : address.address;
  let closing: Promise<void> | null = null;
  return {
    url: `http://${host}:${address.port}/metrics`,
    close() {
      // A scrape in flight may finish (a second at most; a scrape is idempotent, so cutting it
      // loses nothing); idle keep-alive connections of the scraper close at once.
      closing ??= new Promise<void>((resolve) => {
        const force = setTimeout(() => server.closeAllConnections(), 1_000);
        force.unref();
        server.close(() => {
          clearTimeout(force);
          resolve();
        });
        server.closeIdleConnections();
      });
      return closing;
    },
  };
}
