import { spawn, type ChildProcess } from 'node:child_process';
import { request } from 'node:http';
import { BIN, ROOT, ensureBuilt, kosmoIn } from './cli.js';
import type { TestDatabase } from './databases.js';

export interface ServeProcess {
  child: ChildProcess;
  /** What `kosmo serve` printed as its address (http://localhost:PORT/). */
  printedUrl: string;
  port: number;
  /** Where to connect: the loopback address it listens on. */
  base: string;
  out(): string;
  err(): string;
  /**
   * Waits (up to `ms`) until stdout + stderr match: the request log leaves the process in one
   * write per event-loop turn, just after the response (src/portal/logger.ts).
   */
  logged(pattern: RegExp, ms?: number): Promise<string>;
  /** SIGTERM, then the exit code. */
  stop(): Promise<number | null>;
}

/** The real `bin/kosmo.js serve --port 0` on a data dir, once it printed its address. */
export function startServe(dataDir: string, args: string[] = [], env: Record<string, string> = {}): Promise<ServeProcess> {
  const childEnv: Record<string, string> = {};
  for (const [k, v] of Object.entries(process.env)) if (v !== undefined && !k.startsWith('KOSMO_') && k !== 'NODE_OPTIONS') childEnv[k] = v;
  Object.assign(childEnv, { TZ: 'Asia/Tokyo' }, env);
  const child = spawn(process.execPath, [BIN, '--data-dir', dataDir, 'serve', '--port', '0', ...args], { cwd: ROOT, env: childEnv, stdio: ['ignore', 'pipe', 'pipe'] });
  let out = '';
  let err = '';
  const exited = new Promise<number | null>((resolve) => child.on('exit', (code) => resolve(code)));
  return new Promise((resolve, reject) => {
    child.stdout!.setEncoding('utf8').on('data', (d: string) => {
      out += d;
      const m = /kosmo serve: (?:listening on )?(http:\/\/[^\s/]+\/)/.exec(out);
      if (m) {
        const port = Number(new URL(m[1]!).port);
        resolve({
          child,
          printedUrl: m[1]!,
          port,
          base: `http://127.0.0.1:${port}`,
          out: () => out,
          err: () => err,
          async logged(pattern, ms = 5000) {
            const until = Date.now() + ms;
            while (!pattern.test(out + err) && Date.now() < until) await new Promise((r) => setTimeout(r, 20));
            return out + err;
          },
          async stop() {
            if (child.exitCode === null) child.kill('SIGTERM');
            return exited;
          },
        });
      }
    });
    child.stderr!.setEncoding('utf8').on('data', (d: string) => (err += d));
    child.on('exit', (code) => reject(new Error(`kosmo serve exited (${code}) before listening:\n${out}\n${err}`)));
  });
}

/** A GET with a chosen Host header (fetch does not let a page set Host). */
export function getWithHost(port: number, host: string, path = '/'): Promise<{ status: number; body: string }> {
  return new Promise((resolve, reject) => {
    const req = request({ host: '127.0.0.1', port, path, headers: { host } }, (res) => {
      let body = '';
      res.setEncoding('utf8').on('data', (d: string) => (body += d));
      res.on('end', () => resolve({ status: res.statusCode!, body }));
    });
    req.on('error', reject);
    req.end();
  });
}

/**
 * Two real `kosmo serve` processes on one fresh database, set up by the real `kosmo init`: a
 * society running two instances behind a load balancer. `stop()` ends both and drops the database.
 */
export async function startServePair(db: TestDatabase, dataDir: string): Promise<{ serves: ServeProcess[]; kosmo: ReturnType<typeof kosmoIn>; stop(): Promise<void> }> {
  ensureBuilt();
  const created = await db.create();
  const env = { KOSMO_DATABASE_URL: created.url };
  const kosmo = kosmoIn(dataDir, { env });
  const serves: ServeProcess[] = [];
  const stop = async () => {
    for (const s of serves) await s.stop();
    await created.drop();
  };
  try {
    if ((await kosmo(['init'])).code !== 0) throw new Error('kosmo init failed');
    for (let i = 0; i < 2; i++) serves.push(await startServe(dataDir, [], env));
  } catch (err) {
    await stop();
    throw err;
  }
  return { serves, kosmo, stop };
}
