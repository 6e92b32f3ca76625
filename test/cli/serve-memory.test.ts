import { describe, it, expect, beforeAll, afterAll } from 'vitest';
import { readFileSync } from 'node:fs';
import { ensureBuilt, run, tempDataDir } from '../support/cli.js';
import { startServe } from '../support/serve.js';
import { availableParallelism } from 'node:os';
import { memoryLimitPlan, servePoolSize, SERVE_MALLOC_ARENA_MAX, SERVE_NO_PRETENURING, SERVE_OLD_SPACE_MB, SERVE_SEMI_SPACE_MB } from '../../src/cli/serve-memory.js';

const proc = (over: { env?: Record<string, string>; execArgv?: string[] } = {}) => ({
  env: over.env ?? {},
  execArgv: over.execArgv ?? [],
  argv: ['/usr/bin/node', '/opt/kosmo/bin/kosmo.js', '--data-dir', '/d', 'serve', '--port', '0'],
  execPath: '/usr/bin/node',
});

/**
 * Issue 10: `kosmo serve` runs with a small young generation, a heap ceiling, no allocation-site
 * pretenuring, one malloc arena and a libuv pool of one thread per core.
 */
describe('kosmo serve memory limits', () => {
  it('re-executes the same command line with the limits, once', () => {
    const plan = memoryLimitPlan(proc({ env: { PATH: '/bin' } }))!;
    expect(plan.args).toEqual([
      '/usr/bin/node',
      `--max-semi-space-size=${SERVE_SEMI_SPACE_MB}`,
      `--max-old-space-size=${SERVE_OLD_SPACE_MB}`,
      '--no-allocation-site-pretenuring',
      '/opt/kosmo/bin/kosmo.js',
      '--data-dir',
      '/d',
      'serve',
      '--port',
      '0',
    ]);
    expect(plan.env).toMatchObject({ PATH: '/bin', MALLOC_ARENA_MAX: SERVE_MALLOC_ARENA_MAX, UV_THREADPOOL_SIZE: String(availableParallelism()), KOSMO_SERVE_MEMORY: '1' });
    expect(memoryLimitPlan(proc({ env: plan.env as Record<string, string> }))).toBeNull();
  });

  it('keeps what the operator set', () => {
    const operatorOptions = '--max-semi-space-size=8 --max-old-space-size=2048 --allocation-site-pretenuring';
    expect(memoryLimitPlan(proc({ env: { MALLOC_ARENA_MAX: '4', NODE_OPTIONS: operatorOptions, UV_THREADPOOL_SIZE: '6' } }))).toBeNull();
    expect(memoryLimitPlan(proc({ env: { MALLOC_ARENA_MAX: '4', NODE_OPTIONS: operatorOptions } }))!.env.UV_THREADPOOL_SIZE).toBe(servePoolSize());
    const withoutPretenuringChoice = memoryLimitPlan(proc({ env: { MALLOC_ARENA_MAX: '4', NODE_OPTIONS: '--max-semi-space-size=8 --max-old-space-size=2048', UV_THREADPOOL_SIZE: '6' } }))!;
    expect(withoutPretenuringChoice.args.filter((a) => a.startsWith('--max-') || a.includes('pretenuring'))).toEqual([SERVE_NO_PRETENURING]);
    for (const own of ['--allocation-site-pretenuring', '--no-allocation-site-pretenuring']) {
      const plan = memoryLimitPlan(proc({ execArgv: [own] }))!;
      expect(plan.args.filter((a) => a.includes('allocation-site-pretenuring'))).toEqual([own]);
    }
    const ownHeap = memoryLimitPlan(proc({ execArgv: ['--max-old-space-size=4096'] }))!;
    expect(ownHeap.args.filter((a) => a.startsWith('--max-old-space-size'))).toEqual(['--max-old-space-size=4096']);
    expect(memoryLimitPlan(proc({ env: { UV_THREADPOOL_SIZE: '6' } }))!.env.UV_THREADPOOL_SIZE).toBe('6');
    expect(servePoolSize(0)).toBe('1');
    const ownFlag = memoryLimitPlan(proc({ execArgv: ['--max-semi-space-size=16'] }))!;
    expect(ownFlag.args.filter((a) => a.startsWith('--max-semi-space-size'))).toEqual(['--max-semi-space-size=16']);
    expect(ownFlag.env.MALLOC_ARENA_MAX).toBe(SERVE_MALLOC_ARENA_MAX);
    expect(memoryLimitPlan(proc({ env: { MALLOC_ARENA_MAX: '2' } }))!.env.MALLOC_ARENA_MAX).toBe('2');
  });

  describe.skipIf(process.platform !== 'linux')('the real process', () => {
    const dir = tempDataDir();
    beforeAll(async () => {
      ensureBuilt();
      expect((await run(['--data-dir', dir.dataDir, 'init'])).code).toBe(0);
    }, 180_000);
    afterAll(() => dir.cleanup());

    it('replaces itself (same process id) and serves under the limits', async () => {
      const s = await startServe(dir.dataDir);
      try {
        const pid = s.child.pid!;
        const cmdline = readFileSync(`/proc/${pid}/cmdline`, 'utf8').split('\0');
        expect(cmdline).toContain(`--max-semi-space-size=${SERVE_SEMI_SPACE_MB}`);
        expect(cmdline).toContain(`--max-old-space-size=${SERVE_OLD_SPACE_MB}`);
        expect(cmdline).toContain(SERVE_NO_PRETENURING);
        const environ = readFileSync(`/proc/${pid}/environ`, 'utf8').split('\0');
        expect(environ).toContain(`MALLOC_ARENA_MAX=${SERVE_MALLOC_ARENA_MAX}`);
        expect(environ).toContain(`UV_THREADPOOL_SIZE=${servePoolSize()}`);
        expect((await fetch(`${s.base}/healthz`)).status).toBe(200);
      } finally {
        expect(await s.stop()).toBe(0);
      }
    });
  });
});
