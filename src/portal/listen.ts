import type { Server } from 'node:net';
import { KosmoError } from '../core/index.js';

/** Why the operating system refused an address, by its error code (Linux and macOS alike). */
const REASONS: Record<string, string> = {
  EADDRINUSE: 'IN_USE',
  EACCES: 'DENIED',
  EPERM: 'DENIED',
  EADDRNOTAVAIL: 'NO_ADDRESS',
  // A host name the resolver does not know (ENOTFOUND) or could not ask about now (EAI_AGAIN):
  // not "an address this machine lacks", which would send the operator to the wrong place.
  ENOTFOUND: 'UNRESOLVED',
  EAI_AGAIN: 'UNRESOLVED',
};

/** The option that chose the host of each listening address. */
const HOST_OPTION = { port: 'host', 'metrics-port': 'metrics-host' } as const;

/**
 * Listens on `host:port`; a refusal the operator can act on (the port taken by another program, a
 * privileged port, an address this machine does not have, a host name that does not resolve)
 * becomes PORT_UNAVAILABLE with the address and the options that chose it (`option`: `port` or
 * `metrics-port`, and its host option), so staff read what to change instead of "an unexpected
 * error". Anything else is rethrown as it is.
 */
export function listenOn(server: Server, port: number, host: string, option: 'port' | 'metrics-port'): Promise<void> {
  return new Promise<void>((resolve, reject) => {
    const refused = (err: NodeJS.ErrnoException) => {
      const reason = err.code ? REASONS[err.code] : undefined;
      const address = host.includes(':') ? `[${host}]:${port}` : `${host}:${port}`;
      reject(reason ? new KosmoError('PORT_UNAVAILABLE', { address, host, option, hostOption: HOST_OPTION[option], reason }) : err);
    };
    server.once('error', refused);
    server.listen(port, host, () => {
      server.off('error', refused);
      resolve();
    });
  });
}
