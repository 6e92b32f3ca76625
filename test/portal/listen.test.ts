import { describe, it, expect } from 'vitest';
import { EventEmitter } from 'node:events';
import type { Server } from 'node:net';
import { listenOn } from '../../src/portal/listen.js';
import { KosmoError } from '../../src/core/index.js';
import { errorText } from '../../src/staff-text/index.js';

/** A server whose listen fails with the operating system's (or the resolver's) error code. */
function refusing(code: string): Server {
  const server = new EventEmitter() as EventEmitter & { listen: () => void };
  server.listen = () => {
    queueMicrotask(() => server.emit('error', Object.assign(new Error(`listen ${code}`), { code })));
  };
  return server as unknown as Server;
}

async function refusal(code: string, host: string, option: 'port' | 'metrics-port'): Promise<unknown> {
  return listenOn(refusing(code), 3000, host, option).then(
    () => null,
    (err: unknown) => err,
  );
}

/**
 * The reason each refusal is given (the staff text `kosmo serve` prints, test/cli/serve-port.test.ts
 * runs the real binary): only the real binary can provoke a taken port or a missing address; a host
 * name the resolver does not know, or could not ask about, is given here by its error code, since the
 * machines the tests run on may have no name server to ask.
 */
describe('listenOn (why an address cannot be listened on)', () => {
  it('a host name that does not resolve is UNRESOLVED naming the host and its option, not "not an address of this machine"', async () => {
    for (const code of ['ENOTFOUND', 'EAI_AGAIN']) {
      const err = await refusal(code, 'portal.example.invalid', 'port');
      expect(err).toBeInstanceOf(KosmoError);
      const e = err as KosmoError;
      expect(e.code).toBe('PORT_UNAVAILABLE');
      expect(e.details).toMatchObject({ reason: 'UNRESOLVED', host: 'portal.example.invalid', option: 'port', hostOption: 'host' });
      expect(errorText('en', e.code, e.details, '')).toBe('the host name portal.example.invalid cannot be resolved to an address: check the host name (--host) and name resolution');
    }
    const metrics = (await refusal('ENOTFOUND', 'metrics.example.invalid', 'metrics-port')) as KosmoError;
    expect(errorText('ja', metrics.code, metrics.details, '')).toBe('ホスト名 metrics.example.invalid をアドレスに変換できません。ホスト名(--metrics-host)と名前解決の設定を確かめてください。');
  });

  it('an address the machine lacks names the host option of the listener that wanted it', async () => {
    const e = (await refusal('EADDRNOTAVAIL', '192.0.2.1', 'metrics-port')) as KosmoError;
    expect(e.details).toMatchObject({ reason: 'NO_ADDRESS', address: '192.0.2.1:3000', hostOption: 'metrics-host' });
    expect(errorText('en', e.code, e.details, '')).toBe('192.0.2.1:3000 is not an address of this machine: check the address to listen on (--metrics-host)');
    const v6 = (await refusal('EADDRNOTAVAIL', '2001:db8::1', 'port')) as KosmoError;
    expect(v6.details).toMatchObject({ address: '[2001:db8::1]:3000', hostOption: 'host' });
  });

  it('a taken or privileged port is IN_USE or DENIED; any other failure is passed on as it is', async () => {
    expect(((await refusal('EADDRINUSE', '127.0.0.1', 'port')) as KosmoError).details).toMatchObject({ reason: 'IN_USE', option: 'port' });
    expect(((await refusal('EACCES', '127.0.0.1', 'port')) as KosmoError).details).toMatchObject({ reason: 'DENIED' });
    const other = await refusal('EMFILE', '127.0.0.1', 'port');
    expect(other).not.toBeInstanceOf(KosmoError);
    expect((other as NodeJS.ErrnoException).code).toBe('EMFILE');
  });
});
