import { describe, it, expect, beforeAll, afterAll } from 'vitest';
import { spawn } from 'node:child_process';
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { testDatabases } from '../support/databases.js';
import { BIN, ensureBuilt, kosmoIn, ROOT, tempDataDir } from '../support/cli.js';
import { Browser } from '../portal/support/browser.js';

/**
 * `kosmo serve --trust-proxy [N | addresses]`, KOSMO_TRUST_PROXY and the file key `trustProxy`
 * through the real binary: bad values stop it with exit 2 and one line; good ones decide which
 * X-Forwarded-For entry the audit log records as the client (docs/portal.md "Behind a reverse proxy").
 */
describe.each(testDatabases)('kosmo serve --trust-proxy on $name', (database) => {
  const dir = tempDataDir();
  let env: Record<string, string> = {};
  let drop: () => Promise<void> = async () => undefined;
  let kosmo: ReturnType<typeof kosmoIn>;
  beforeAll(async () => {
    ensureBuilt();
    if (database.name === 'postgresql') {
      const db = await database.create();
      env = { KOSMO_DATABASE_URL: db.url };
      drop = db.drop;
    }
    kosmo = kosmoIn(dir.dataDir, { env });
    expect((await kosmo(['init'])).code).toBe(0);
  }, 180_000);
  afterAll(async () => {
    dir.cleanup();
    await drop();
  });

  it('a bad --trust-proxy value is exit 2 with one line naming the flag and the problem', async () => {
    const r = await kosmo(['serve', '--port', '0', '--trust-proxy', 'proxy.example']);
    expect(r.code).toBe(2);
    expect(r.stderr.trim()).toBe('kosmo: エラー: --trust-proxy の値が正しくありません: 「proxy.example」は IP アドレスでも CIDR(10.0.0.0/8 など)でもありません');
    const hops = await kosmo(['serve', '--port', '0', '--trust-proxy', '11'], { env: { KOSMO_LANG: 'en' } });
    expect(hops.code).toBe(2);
    expect(hops.stderr.trim()).toBe('kosmo: error: invalid value for --trust-proxy: the number of proxies must be 1-10');
    const json = await kosmo(['serve', '--port', '0', '--trust-proxy', '10.0.0.0/33', '--json']);
    expect(json.code).toBe(2);
    expect(json.json.error.code).toBe('INPUT_INVALID');
  }, 180_000);

  it('a bad KOSMO_TRUST_PROXY or file key is exit 2 with one line naming where it came from', async () => {
    const r = await kosmo(['serve', '--port', '0'], { env: { KOSMO_TRUST_PROXY: 'yes' } });
    expect(r.code).toBe(2);
    expect(r.stderr.trim()).toBe('kosmo: エラー: 設定エラー: KOSMO_TRUST_PROXY: 「yes」は IP アドレスでも CIDR(10.0.0.0/8 など)でもありません');
    const file = join(dir.root, 'bad.json');
    writeFileSync(file, JSON.stringify({ trustProxy: 20 }));
    const f = await kosmo(['serve', '--port', '0'], { env: { KOSMO_CONFIG: file, KOSMO_LANG: 'en' } });
    expect(f.code).toBe(2);
    expect(f.stderr.trim()).toBe(`kosmo: error: configuration error: ${file}: trustProxy: the number of proxies must be 1-10`);
  }, 180_000);

  /** Starts serve, makes one forgot-password request with the given X-Forwarded-For, stops it. */
  async function forgotThrough(args: string[], xff: string, extraEnv: Record<string, string> = {}): Promise<void> {
    const childEnv: Record<string, string> = {};
    for (const [k, v] of Object.entries(process.env)) if (v !== undefined && !k.startsWith('KOSMO_') && k !== 'NODE_OPTIONS') childEnv[k] = v;
    Object.assign(childEnv, env, extraEnv);
    const child = spawn(process.execPath, [BIN, '--data-dir', dir.dataDir, 'serve', '--port', '0', ...args], { cwd: ROOT, env: childEnv, stdio: ['ignore', 'pipe', 'pipe'] });
    let out = '';
    let err = '';
    child.stderr.setEncoding('utf8').on('data', (d: string) => (err += d));
    const exited = new Promise<number | null>((resolve) => child.on('exit', (code) => resolve(code)));
    try {
      const url = await new Promise<string>((resolve, reject) => {
        child.stdout.setEncoding('utf8').on('data', (d: string) => {
          out += d;
          const m = /^kosmo serve: .*?(http:\/\/[^\s/]+)/m.exec(out);
          if (m) resolve(m[1]!);
        });
        void exited.then(() => reject(new Error(`serve exited: ${out} ${err}`)));
      });
      const b = new Browser(url);
      const headers = { 'x-forwarded-for': xff };
      await b.request('GET', '/password/forgot', { headers });
      const page = await b.post('/password/forgot', { userId: 'nosuchmember1' }, { headers, follow: false });
      expect(page.status).toBe(303);
    } finally {
      child.kill('SIGTERM');
      expect(await exited).toBe(0);
    }
  }

  async function lastRequestIp(): Promise<string> {
    const r = await kosmo(['audit', '--action', 'recovery.password_request', '--limit', '1', '--json']);
    expect(r.code, r.stderr).toBe(0);
    return r.json[0].ip;
  }

  it('--trust-proxy alone: the address the proxy appended, not the forged leftmost one', async () => {
    await forgotThrough(['--trust-proxy'], '198.51.100.1, 203.0.113.10');
    expect(await lastRequestIp()).toBe('203.0.113.10');
  }, 180_000);

  it('--trust-proxy 2: the second entry from the right', async () => {
    await forgotThrough(['--trust-proxy', '2'], '198.51.100.1, 203.0.113.20, 10.0.0.2');
    expect(await lastRequestIp()).toBe('203.0.113.20');
  }, 180_000);

  it('KOSMO_TRUST_PROXY=<list>: the rightmost address that is not a trusted proxy; the flag wins over it', async () => {
    await forgotThrough([], '198.51.100.1, 203.0.113.30, 10.1.2.3', { KOSMO_TRUST_PROXY: '127.0.0.1,10.0.0.0/8' });
    expect(await lastRequestIp()).toBe('203.0.113.30');
    await forgotThrough(['--trust-proxy', '1'], '198.51.100.1, 203.0.113.30, 10.1.2.3', { KOSMO_TRUST_PROXY: '127.0.0.1,10.0.0.0/8' });
    expect(await lastRequestIp()).toBe('10.1.2.3');
  }, 180_000);

  it('without any trust setting X-Forwarded-For is ignored', async () => {
    await forgotThrough([], '203.0.113.40');
    expect(await lastRequestIp()).toBe('127.0.0.1');
  }, 180_000);
});
