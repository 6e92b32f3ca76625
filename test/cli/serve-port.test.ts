import { describe, it, expect, beforeAll, afterAll } from 'vitest';
import { createServer, type Server } from 'node:net';
import { ensureBuilt, kosmoIn, tempDataDir } from '../support/cli.js';

/**
 * `kosmo serve` on an address it cannot have, through the real binary: the port taken by another
 * program (the portal's or the metrics port) or an address this machine does not have is one line
 * naming the address and the option to change, exit 4 (conflict), never "an unexpected error" or
 * a stack trace. A port below 1024 without the rights to it is the same code with its own text
 * (not provoked here: the tests may run as root).
 */
describe('kosmo serve on an unavailable address', () => {
  const dir = tempDataDir();
  let kosmo: ReturnType<typeof kosmoIn>;
  let taken: Server;
  let port = 0;
  beforeAll(async () => {
    ensureBuilt();
    kosmo = kosmoIn(dir.dataDir);
    expect((await kosmo(['init'])).code).toBe(0);
    taken = createServer();
    await new Promise<void>((resolve) => taken.listen(0, '127.0.0.1', resolve));
    port = (taken.address() as { port: number }).port;
  }, 180_000);
  afterAll(async () => {
    await new Promise<void>((resolve) => taken.close(() => resolve()));
    dir.cleanup();
  });

  it('a port in use is exit 4 with the address and the option to change, in Japanese and English', async () => {
    const r = await kosmo(['serve', '--port', String(port)]);
    expect(r.code).toBe(4);
    expect(r.stderr.trim()).toBe(`kosmo: エラー: 127.0.0.1:${port} は他のプログラムが使っています。そのプログラムを止めるか、--port で別のポートを指定してください。`);
    const en = await kosmo(['serve', '--port', String(port)], { env: { KOSMO_LANG: 'en' } });
    expect(en.code).toBe(4);
    expect(en.stderr.trim()).toBe(`kosmo: error: 127.0.0.1:${port} is in use by another program: stop it, or give another port with --port`);
    const json = await kosmo(['serve', '--port', String(port), '--json']);
    expect(json.code).toBe(4);
    expect(json.json.error).toEqual({ code: 'PORT_UNAVAILABLE', message: `127.0.0.1:${port} は他のプログラムが使っています。そのプログラムを止めるか、--port で別のポートを指定してください。` });
  }, 180_000);

  it('a metrics port in use names --metrics-port, before the portal takes its own port', async () => {
    const r = await kosmo(['serve', '--port', '0', '--metrics-port', String(port)], { env: { KOSMO_LANG: 'en' } });
    expect(r.code).toBe(4);
    expect(r.stderr.trim()).toBe(`kosmo: error: 127.0.0.1:${port} is in use by another program: stop it, or give another port with --metrics-port`);
  }, 180_000);

  it('an address this machine does not have says so', async () => {
    const r = await kosmo(['serve', '--port', '0', '--host', '192.0.2.1'], { env: { KOSMO_LANG: 'en' } });
    expect(r.code).toBe(4);
    expect(r.stderr.trim()).toBe('kosmo: error: 192.0.2.1:0 is not an address of this machine: check the address to listen on (--host)');
  }, 180_000);
});
