import { describe, it, expect, beforeAll, afterAll } from 'vitest';
import { spawn, spawnSync } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { BIN, ensureBuilt, ROOT, run, tempDataDir } from '../../../support/cli.js';

/**
 * The common-password list (~184 000 entries, ~1 s to decompress) loads on the first password
 * check only: never for `kosmo --help`, never when the portal starts or serves pages. A module hook
 * in each child process counts every resolution of a @zxcvbn-ts package (import or require).
 */
const HOOK = `
import { registerHooks } from 'node:module';
let seen = 0;
registerHooks({
  resolve(specifier, context, nextResolve) {
    if (specifier.includes('@zxcvbn-ts/')) seen++;
    return nextResolve(specifier, context);
  },
});
process.on('exit', () => process.stderr.write('zxcvbn-resolved: ' + seen + '\\n'));
`;

const resolvedCount = (stderr: string) => Number(/zxcvbn-resolved: (\d+)/.exec(stderr)?.[1] ?? NaN);

describe('the common-password list loads lazily', () => {
  const dir = mkdtempSync(join(tmpdir(), 'kosmo-lazy-'));
  const hook = join(dir, 'count-zxcvbn.mjs');
  const hookArgs = ['--import', pathToFileURL(hook).href];
  beforeAll(() => {
    writeFileSync(hook, HOOK);
    ensureBuilt();
  }, 180_000);
  afterAll(() => rmSync(dir, { recursive: true, force: true }));

  it('the hook sees it: the first password check loads the list, importing the policy does not', () => {
    const policy = pathToFileURL(join(ROOT, 'dist', 'core', 'credentials', 'password', 'password-policy.js')).href;
    const node = (script: string) => spawnSync(process.execPath, [...hookArgs, '--input-type=module', '-e', script], { cwd: ROOT, encoding: 'utf8' });
    const importOnly = node(`await import('${policy}');`);
    expect(importOnly.status, importOnly.stderr).toBe(0);
    expect(resolvedCount(importOnly.stderr)).toBe(0);
    const check = node(`
      const { checkPasswordPolicy } = await import('${policy}');
      try {
        checkPasswordPolicy({ minLength: 8, maxLength: 64, allowedChars: 'abcdefghijklmnopqrstuvwxyz' }, 'takahashi', { userId: 'taroyamada1', society: { code: 'sckenpo', name: 'x' } });
      } catch (e) {
        process.stdout.write(e.code);
      }
    `);
    expect(check.stdout).toBe('PASSWORD_COMMON');
    expect(resolvedCount(check.stderr)).toBeGreaterThan(0);
  });

  it('`kosmo --help` does not load it', async () => {
    const r = await run(['--help'], { nodeArgs: hookArgs });
    expect(r.code).toBe(0);
    expect(resolvedCount(r.stderr)).toBe(0);
  });

  it('`kosmo serve` starts and serves the login and password pages without loading it', async () => {
    const data = tempDataDir();
    try {
      expect((await run(['--data-dir', data.dataDir, 'init'])).code).toBe(0);
      const env = Object.fromEntries(Object.entries(process.env).filter(([k]) => !k.startsWith('KOSMO_') && k !== 'NODE_OPTIONS'));
      const child = spawn(process.execPath, [...hookArgs, BIN, '--data-dir', data.dataDir, 'serve', '--port', '0'], { cwd: ROOT, stdio: ['ignore', 'pipe', 'pipe'], env });
      let out = '';
      let err = '';
      child.stderr.setEncoding('utf8').on('data', (d: string) => (err += d));
      const url = await new Promise<string>((resolve, reject) => {
        child.stdout.setEncoding('utf8').on('data', (d: string) => {
          out += d;
          const m = /^kosmo serve: .*?(http:\/\/[^\s/]+)/m.exec(out);
          if (m) resolve(m[1]!);
        });
        child.on('exit', () => reject(new Error(`serve exited: ${out} ${err}`)));
      });
      expect((await fetch(`${url}/login`)).status).toBe(200);
      expect((await fetch(`${url}/password/forgot`)).status).toBe(200);
      const exited = new Promise<number | null>((resolve) => child.on('exit', (code) => resolve(code)));
      child.kill('SIGTERM');
      expect(await exited).toBe(0);
      expect(resolvedCount(err)).toBe(0);
    } finally {
      data.cleanup();
    }
  }, 180_000);
});
