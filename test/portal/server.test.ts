import { describe, it, expect, beforeAll, afterAll, afterEach } from 'vitest';
import { spawn, type ChildProcess } from 'node:child_process';
import { existsSync, mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { request } from 'node:http';
import { join } from 'node:path';
import { testDatabases } from '../support/databases.js';
import { createTestCore } from '../support/core.js';
import { ensureBuilt, ROOT, run, tempDataDir } from '../support/cli.js';
import { startPortal } from '../../src/portal/server.js';
import { openDatabase } from '../../src/core/db/orm.js';
import { createCore } from '../../src/core/context.js';
import { silentLogger } from '../../src/portal/logger.js';

/**
 * The serve command exactly as src/cli/main.ts will wire it: the real CliRuntime, the real
 * register(); `--data-dir` is the global option.
 */
const DRIVER = `
import { createRequire } from 'node:module';
const require = createRequire(process.env.ROOT + '/package.json');
const { Command } = await import(require.resolve('commander'));
const { CliRuntime } = await import(process.env.DIST + '/cli/runtime.js');
const { register } = await import(process.env.DIST + '/cli/commands/serve.js');
const rt = new CliRuntime();
const program = new Command('kosmo').option('--data-dir <dir>').exitOverride();
rt.attach(program);
register(program, rt);
process.stdout.write('koa loaded at registration: ' + Object.keys(require.cache).some((k) => k.includes('/node_modules/koa/')) + '\\n');
await program.parseAsync(process.argv);
`;

const driverDir = mkdtempSync(join(tmpdir(), 'kosmo-serve-'));

function startServe(dataDir: string, args: string[] = []): { child: ChildProcess; out: () => string; err: () => string; url: Promise<string> } {
  const driver = join(driverDir, 'serve-driver.mjs');
  if (!existsSync(driver)) writeFileSync(driver, DRIVER);
  const env = { ...process.env, ROOT, DIST: join(ROOT, 'dist'), KOSMO_LANG: 'ja' } as Record<string, string>;
  delete env.KOSMO_DATA_DIR;
  const child = spawn(process.execPath, [driver, '--data-dir', dataDir, 'serve', '--port', '0', ...args], { cwd: ROOT, env, stdio: ['ignore', 'pipe', 'pipe'] });
  let out = '';
  let err = '';
  const url = new Promise<string>((resolve, reject) => {
    child.stdout!.setEncoding('utf8').on('data', (d: string) => {
      out += d;
      // `kosmo serve: http://localhost:PORT/ で待ち受けています` (the staff's language, KOSMO_LANG=ja).
      const m = /kosmo serve: (http:\/\/[^\s/]+)\/ で待ち受けています/.exec(out);
      if (m) resolve(m[1]!);
    });
    child.stderr!.setEncoding('utf8').on('data', (d: string) => (err += d));
    child.on('exit', () => reject(new Error(`serve exited: ${out} ${err}`)));
  });
  return { child, out: () => out, err: () => err, url };
}

function exited(child: ChildProcess): Promise<number | null> {
  return new Promise((resolve) => (child.exitCode !== null ? resolve(child.exitCode) : child.on('exit', (code) => resolve(code))));
}

describe('kosmo serve', () => {
  const cleanups: (() => void)[] = [];
  beforeAll(() => ensureBuilt(), 180_000);
  afterAll(() => rmSync(driverDir, { recursive: true, force: true }));
  afterEach(() => {
    for (const c of cleanups.splice(0)) c();
  });

  async function initDir() {
    const d = tempDataDir();
    cleanups.push(d.cleanup);
    const r = await run(['--data-dir', d.dataDir, 'init', '--society-code', 'sckenpo', '--society-name', '大和総研健保']);
    expect(r.code, r.stderr).toBe(0);
    return d.dataDir;
  }

  it('serves the portal without loading Koa at registration, and stops cleanly on SIGTERM', async () => {
    const dataDir = await initDir();
    const s = startServe(dataDir);
    cleanups.push(() => s.child.kill('SIGKILL'));
    const url = await s.url;
    expect(s.out()).toContain('koa loaded at registration: false');
    const health = await fetch(`${url}/healthz`);
    expect(await health.json()).toEqual({ status: 'ok' });
    const top = await fetch(`${url}/`);
    expect(await top.text()).toContain('大和総研健保加入者ページ');
    s.child.kill('SIGTERM');
    expect(await exited(s.child)).toBe(0);
    expect(s.out()).toContain('kosmo serve: 停止しました');
  });

  it('lets an in-flight request finish after SIGINT, then exits', async () => {
    const dataDir = await initDir();
    const s = startServe(dataDir);
    cleanups.push(() => s.child.kill('SIGKILL'));
    const url = new URL(await s.url);
    const response = new Promise<number>((resolve, reject) => {
      const req = request({ host: url.hostname, port: url.port, path: '/login', method: 'POST', headers: { 'content-type': 'application/x-www-form-urlencoded', 'content-length': '19' } }, (res) => {
        res.resume();
        res.on('end', () => resolve(res.statusCode!));
      });
      req.on('error', reject);
      req.write('userId=abc&');
      setTimeout(() => {
        s.child.kill('SIGINT');
        setTimeout(() => req.end('pass=x12'), 300);
      }, 200);
    });
    // The request was accepted before the signal: it gets its answer (403: no session, no token).
    expect(await response).toBe(403);
    expect(await exited(s.child)).toBe(0);
    expect(s.out()).toContain('kosmo serve: SIGINT を受信しました');
  });

  it('refuses to start with pending migrations and says to run kosmo migrate', async () => {
    const d = tempDataDir();
    cleanups.push(d.cleanup);
    mkdirSync(d.dataDir);
    writeFileSync(join(d.dataDir, 'secret.key'), '7'.repeat(64));
    const s = startServe(d.dataDir);
    s.url.catch(() => undefined);
    const code = await exited(s.child);
    expect(code).not.toBe(0);
    expect(s.err()).toContain('`kosmo migrate`');
    expect(s.err()).not.toMatch(/^\s+at /m);
  });

  it('refuses a bad --port or --public-url with the flag named', async () => {
    const dataDir = await initDir();
    for (const args of [
      ['--port', 'abc'],
      ['--public-url', 'ftp://x.example'],
    ]) {
      const s = startServe(dataDir, args);
      s.url.catch(() => undefined);
      expect(await exited(s.child)).toBe(2);
      expect(s.err()).toContain(args[0]);
    }
  });
});

describe.each(testDatabases)('startPortal on $name', (database) => {
  it('refuses a database with pending migrations', async () => {
    const { url, drop } = await database.create();
    const db = await openDatabase(url);
    try {
      const t = await createTestCore(database);
      const core = await createCore(t.core.config, { db });
      await expect(startPortal(core, { port: 0, log: silentLogger })).rejects.toMatchObject({ code: 'MIGRATIONS_PENDING' });
      await t.close();
    } finally {
      await db.close();
      await drop();
    }
  });
});
