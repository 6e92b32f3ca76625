import type { Server } from 'node:net';
import { KosmoError } from '../core/index.js';

/** Why the operating system refused an address, by its error code (Linux and macOS alike). */
const REASONS: Record<string, string> = {
  EADDRINUSE: 'IN_USE',
  EACCES: 'DENIED',
  EPERM: 'DENIED',
  EADDRNOTAVAIL: 'NO_ADDRESS',
  ENOTFOUND: 'NO_ADDRESS',
  EAI_AGAIN: 'NO_ADDRESS',
};

/**
 * Listens on `host:port`; a refusal the operator can act on (the port taken by another program, a
 * privileged port, an address this machine does not have) becomes PORT_UNAVAILABLE with the
 * address and the option that chose it (`option`: `port` or `metrics-port`), so staff read what
 * to change instead of "an unexpected error". Anything else is rethrown as it is.
 */
export function listenOn(server: Server, port: number, host: string, option: 'port' | 'metrics-port'): Promise<void> {
  return new Promise<void>((resolve, reject) => {
    const refused = (err: NodeJS.ErrnoException) => {
      const reason = err.code ? REASONS[err.code] : undefined;
      const address = host.includes(':') ? `[${host}]:${port}` : `${host}:${port}`;
      reject(reason ? new KosmoError('PORT_UNAVAILABLE', { address, option, reason }) : err);
    };
    server.once('error', refused);
    server.listen(port, host, () => {
      server.off('error', refused);
      resolve();
    });
  });
}
