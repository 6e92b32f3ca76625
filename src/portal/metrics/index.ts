import type { CoreContext } from '../../core/index.js';
import type { PortalLogger } from '../logger.js';
import { createPortalMetrics, type PortalMetrics } from './portal-metrics.js';
import { startMetricsServer } from './metrics-server.js';

export type { PortalMetrics } from './portal-metrics.js';

export interface RunningMetrics extends Omit<PortalMetrics, 'close' | 'registry'> {
  url: string;
  /** Stops observing and closes the scrape server. */
  close(): Promise<void>;
}

/**
 * Loaded by server.ts through a dynamic import only when `--metrics-port` is given, so prom-client
 * is never part of the core, of `kosmo --help`, or of a portal run without metrics.
 */
export async function startMetrics(core: CoreContext, opts: { host: string; port: number; log: PortalLogger }): Promise<RunningMetrics> {
  const metrics = createPortalMetrics(core, opts.log);
  let server;
  try {
    server = await startMetricsServer(metrics.registry, opts);
  } catch (err) {
    metrics.close();
    throw err;
  }
  return {
    url: server.url,
    observeRequest: metrics.observeRequest,
    onMailBatch: metrics.onMailBatch,
    async close() {
      metrics.close();
      await server.close();
    },
  };
}
