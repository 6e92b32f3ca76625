import { afterAll, beforeAll, expect } from 'vitest';
import { spawn, execFileSync } from 'node:child_process';
import { existsSync, mkdirSync, mkdtempSync, readdirSync, rmSync, rmdirSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';

/**
 * Runs the real `bin/kosmo.js` (DESIGN.md §5: CLI tests spawn the binary) against the built
 * `dist/`. The environment is clean of KOSMO_* variables from the caller unless a test passes them.
 */
export const ROOT = resolve(dirname(fileURLToPath(import.meta.url)), '..', '..');
export const BIN = join(ROOT, 'bin', 'kosmo.js');

export interface RunResult {
  code: number;
  stdout: string;
  stderr: string;
  /** stdout parsed as JSON when it is JSON, else undefined. */
  json: any;
}

export interface RunOptions {
  env?: Record<string, string | undefined>;
  /** Extra node flags before the script (e.g. `--import` of a hook). */
  nodeArgs?: string[];
  cwd?: string;
}

function newestMtime(dir: string): number {
  let newest = 0;
  for (const entry of readdirSync(dir, { withFileTypes: true })) {
    const p = join(dir, entry.name);
    if (entry.isDirectory()) newest = Math.max(newest, newestMtime(p));
    else if (/\.tsx?$/.test(entry.name)) newest = Math.max(newest, statSync(p).mtimeMs);
  }
  return newest;
}

/**
 * The binary runs dist/, so a stale build would test old code: rebuild (once, under a lock shared
 * by parallel test files) when any file under src/ (CLI, core, portal, TUI) is newer than the build.
 */
export function ensureBuilt(): void {
  const built = join(ROOT, 'dist', 'cli', 'main.js');
  // The build ends with the --help snapshots (one per staff language): their age is the build's.
  const help = join(ROOT, 'dist', 'cli', 'help.ja.txt');
  const fresh = () => existsSync(built) && existsSync(help) && existsSync(join(ROOT, 'dist', 'cli', 'help.en.txt')) && statSync(help).mtimeMs >= newestMtime(join(ROOT, 'src'));
  if (fresh()) return;
  const lock = join(ROOT, 'dist.build-lock');
  const started = Date.now();
  for (;;) {
    try {
      mkdirSync(lock);
      break;
    } catch {
      if (Date.now() - started > 120_000) throw new Error(`build lock ${lock} held too long: remove it`);
      Atomics.wait(new Int32Array(new SharedArrayBuffer(4)), 0, 0, 200);
    }
  }
  try {
    if (!fresh()) execFileSync('npm', ['run', '--silent', 'build'], { cwd: ROOT, stdio: 'pipe' });
  } catch (err) {
    // tsc reports type errors elsewhere in the tree but still emits; only a missing build is fatal.
    if (!existsSync(built) || !existsSync(help)) throw err;
  } finally {
    rmdirSync(lock);
  }
}

export function run(args: string[], opts: RunOptions = {}): Promise<RunResult> {
  const env: Record<string, string> = {};
  for (const [k, v] of Object.entries(process.env)) if (v !== undefined && !k.startsWith('KOSMO_') && k !== 'NODE_OPTIONS') env[k] = v;
  env.TZ = 'Asia/Tokyo';
  for (const [k, v] of Object.entries(opts.env ?? {})) {
    if (v === undefined) delete env[k];
    else env[k] = v;
  }
  return new Promise((resolvePromise, reject) => {
    const child = spawn(process.execPath, [...(opts.nodeArgs ?? []), BIN, ...args], { env, cwd: opts.cwd ?? ROOT, stdio: ['ignore', 'pipe', 'pipe'] });
    let stdout = '';
    let stderr = '';
    child.stdout.setEncoding('utf8').on('data', (d: string) => (stdout += d));
    child.stderr.setEncoding('utf8').on('data', (d: string) => (stderr += d));
    child.on('error', reject);
    child.on('close', (code) => {
      let json: unknown;
      try {
        json = JSON.parse(stdout);
      } catch {
        json = undefined;
      }
      resolvePromise({ code: code ?? -1, stdout, stderr, json });
    });
  });
}

/** A fresh temp folder; the data dir inside it does not exist yet (init creates it). */
export function tempDataDir(): { root: string; dataDir: string; cleanup(): void } {
  const root = mkdtempSync(join(tmpdir(), 'kosmo-cli-'));
  return { root, dataDir: join(root, 'data'), cleanup: () => rmSync(root, { recursive: true, force: true }) };
}

/** A JavaScript stack frame (`    at fn (file:1:2)`): never part of what staff see. */
export const STACK_TRACE = /^\s+at .+:\d+:\d+\)?$/m;

/**
 * `run`, bound to a data dir, and checked for what staff must never see: a stack trace in any
 * output, or anything but one JSON document on stdout with --json.
 */
export function kosmoIn(dataDir: string, base: RunOptions = {}) {
  return async (args: string[], opts: RunOptions = {}): Promise<RunResult> => {
    const r = await run(['--data-dir', dataDir, ...args], { ...base, ...opts, env: { ...base.env, ...opts.env } });
    if (STACK_TRACE.test(r.stdout) || STACK_TRACE.test(r.stderr)) {
      throw new Error(`kosmo ${args.join(' ')} printed a stack trace:\n${r.stdout}\n${r.stderr}`);
    }
    if (args.includes('--json') && r.json === undefined) {
      throw new Error(`kosmo ${args.join(' ')} printed no JSON document:\n${r.stdout}\n${r.stderr}`);
    }
    return r;
  };
}

/**
 * The usual start of a CLI suite: a temporary data dir where `kosmo init` ran (society `sckenpo`,
 * 大和総研健保, unless `initArgs` says otherwise) before the suite, removed after it.
 */
export function initializedDataDir(initArgs: string[] = ['--society-code', 'sckenpo', '--society-name', '大和総研健保']) {
  const dir = tempDataDir();
  const kosmo = kosmoIn(dir.dataDir);
  beforeAll(async () => {
    ensureBuilt();
    expect((await kosmo(['init', ...initArgs])).code).toBe(0);
  }, 180_000);
  afterAll(() => dir.cleanup());
  return { dir, kosmo };
}
