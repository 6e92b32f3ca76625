import { describe, it, expect, beforeAll, afterAll } from 'vitest';
import { spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { BIN, ensureBuilt, ROOT, run, STACK_TRACE } from '../support/cli.js';

const FAKE = join(ROOT, 'test', 'cli', 'fixtures', 'fake-node-version.mjs');
const RECORD = join(ROOT, 'test', 'cli', 'fixtures', 'record-modules.mjs');
const REQUIRED = JSON.parse(readFileSync(join(ROOT, 'package.json'), 'utf8')).engines.node as string;

/** The machine's own Node (Debian's), when it is older than the project needs. */
function oldNode(): { path: string; version: string } | null {
  for (const path of ['/usr/bin/node', '/usr/bin/nodejs']) {
    if (!existsSync(path)) continue;
    const r = spawnSync(path, ['-p', 'process.versions.node'], { encoding: 'utf8' });
    const version = r.stdout.trim();
    const [major, minor] = version.split('.').map(Number);
    if (r.status === 0 && (major! < 22 || (major === 22 && minor! < 17))) return { path, version };
  }
  return null;
}
const old = oldNode();

describe('the Node.js version guard of bin/kosmo.js', () => {
  let dir: string;
  beforeAll(() => {
    ensureBuilt();
    dir = mkdtempSync(join(tmpdir(), 'kosmo-guard-'));
  }, 180_000);
  afterAll(() => rmSync(dir, { recursive: true, force: true }));

  it('package.json and the guard agree on the version (>=22.17.0)', () => {
    expect(REQUIRED).toBe('>=22.17.0');
    expect(readFileSync(BIN, 'utf8')).toContain('var REQUIRED = [22, 17, 0];');
  });

  const fake = (version: string, args: string[], env: Record<string, string> = {}) => run(args, { nodeArgs: ['--import', FAKE], env: { FAKE_NODE_VERSION: version, ...env } });

  it('refuses a Node older than 22.17.0 in one Japanese line naming the version and how to get it, exit 1', async () => {
    for (const version of ['22.16.9', '20.19.5', '18.0.0']) {
      const r = await fake(version, ['--help']);
      expect(r.code, version).toBe(1);
      expect(r.stdout).toBe('');
      expect(r.stderr.trim().split('\n'), version).toHaveLength(1);
      expect(r.stderr).toContain('Node.js 22.17.0 以上が必要です');
      expect(r.stderr).toContain(`v${version}`);
      expect(r.stderr).toContain('https://nodejs.org/');
      expect(r.stderr).toContain('node@24');
      expect(r.stderr).not.toMatch(STACK_TRACE);
    }
  });

  it('speaks English with KOSMO_LANG=en', async () => {
    const r = await fake('22.16.0', ['member', 'show', 'kabcdefghj'], { KOSMO_LANG: 'en' });
    expect(r.code).toBe(1);
    expect(r.stderr.trim()).toBe(
      'kosmo: Node.js 22.17.0 or newer is required (this is v22.16.0). Install Node.js 24 LTS from https://nodejs.org/ or with: npm install -g --prefix /opt/node24 node@24',
    );
  });

  it('checks before it imports anything: only bin/kosmo.js itself is loaded', async () => {
    const out = join(dir, 'modules.txt');
    const r = await run(['member', 'search', 'x'], { nodeArgs: ['--import', FAKE, '--import', RECORD], env: { FAKE_NODE_VERSION: '20.0.0', KOSMO_TEST_MODULES_OUT: out } });
    expect(r.code).toBe(1);
    const loaded = readFileSync(out, 'utf8')
      .trim()
      .split('\n')
      .filter((u) => u.startsWith('file:') && !u.includes('/test/cli/fixtures/'));
    expect(loaded).toEqual([`file://${BIN}`]);
  });

  it('lets 22.17.0 and newer through', async () => {
    for (const version of ['22.17.0', '22.18.1', '24.0.0', '26.1.0']) {
      const r = await fake(version, ['--help']);
      expect(r.code, `${version}: ${r.stderr}`).toBe(0);
      expect(r.stdout).toContain('使い方: kosmo');
    }
  });

  it.skipIf(!old)(`refuses the machine's own old Node (${old?.path ?? 'none: every node here is new enough'} ${old?.version ?? ''}) without a crash`, () => {
    for (const args of [['--help'], ['member', 'show', 'kabcdefghj'], ['serve']]) {
      const r = spawnSync(old!.path, [BIN, ...args], { encoding: 'utf8', env: { ...process.env, KOSMO_LANG: '' } });
      expect(r.status, args.join(' ')).toBe(1);
      expect(r.stdout).toBe('');
      expect(r.stderr.trim()).toBe(
        `kosmo: Node.js 22.17.0 以上が必要です(実行中は v${old!.version})。https://nodejs.org/ から Node.js 24 LTS を入れてください(例: npm install -g --prefix /opt/node24 node@24)。`,
      );
    }
  });
});
