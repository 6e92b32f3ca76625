/**
 * The memory limits and V8 settings `kosmo serve` runs under (issue 10; measurements in
 * docs/performance.md):
 *
 * - `--max-semi-space-size`: V8's young generation. Left alone it grows to tens of MB per
 *   semi-space on a machine with much RAM, which is most of the portal's peak RSS; a small one costs
 *   a few more scavenges (each well under a millisecond for the portal's short-lived objects).
 * - `--max-old-space-size=512`: V8 grows the old generation by a factor it derives from the heap's
 *   ceiling, which it otherwise takes from the machine's memory: there it let the old generation
 *   reach four times the portal's ~35 MB live set before a full collection (84 MB committed under
 *   the page load). Under a 512 MB ceiling — fifteen times the live set, never approached in any
 *   test — it collects well before twice (at most 50 MB committed in the same run). A heap that
 *   did reach the ceiling would end the process (out of memory) for its supervisor to restart,
 *   rather than swap the machine.
 * - `MALLOC_ARENA_MAX=1`: glibc gives every thread that allocates its own arena, and argon2
 *   allocates its 19 MiB block on whichever libuv thread runs it; after the first free, glibc's
 *   dynamic mmap threshold keeps such blocks inside the arenas, so the pool threads kept ~70–90 MB
 *   between logins. With one arena the blocks come from the main heap, whose top is given back
 *   when freed (measured under login load: anonymous RSS 64 MB with one arena, 132 MB with two).
 *   argon2 takes one block per hash, so sharing the arena's lock costs nothing measurable.
 *   (`MALLOC_MMAP_THRESHOLD_` would also give the memory back, but makes argon2 ~20 % slower.)
 * - `UV_THREADPOOL_SIZE` = the cores this process may run on: argon2 runs on libuv's pool, and a
 *   pool thread holds a 19 MiB block while it hashes, so the pool's size is the most blocks that
 *   can exist at once. Left alone the pool has four threads; more hashes at once than cores adds
 *   memory, not throughput. The password hasher keeps one hash more than that queued in the pool
 *   (src/core/credentials/password/hasher.ts), so a thread that finishes starts the next hash at
 *   once instead of waiting for the event loop; other pool work (file reads, DNS) waits behind at
 *   most one hash.
 *
 * - `--no-allocation-site-pretenuring`: V8 allocates straight into the old generation from any
 *   allocation site whose objects survived scavenges, and logins make many sites look like that
 *   (a login's request lives through argon2's ~30 ms while the young generation turns over several
 *   times). The same sites serve every page view (Koa's context, Node's request and headers, the
 *   session's rows), so after a burst of logins page views filled the old generation with garbage:
 *   a full collection every ~1.2 s under the page load, ~10 µs of V8 helper threads per page view
 *   (~8 %), none of it in page-only runs. Without pretenuring, objects that do live long are copied
 *   once or twice before promotion — measured: no change to the logins' rate, 5 MB lower peak RSS.
 *
 * All of them must be in place when the process starts, so `kosmo serve` replaces itself (execve: same
 * process id, same stdio and signals, nothing left behind) with `node <flags> bin/kosmo.js serve …`
 * before it opens the database. Flags or variables the operator set (NODE_OPTIONS, node's own
 * command line, the environment) win over these defaults. Where execve is unavailable (Windows,
 * Node without `process.execve`), the portal runs as it is, without the limits.
 */
import { availableParallelism } from 'node:os';

export const SERVE_SEMI_SPACE_MB = 2;
export const SERVE_OLD_SPACE_MB = 512;
export const SERVE_MALLOC_ARENA_MAX = '1';
export const SERVE_NO_PRETENURING = '--no-allocation-site-pretenuring';

/** The libuv pool's threads: one per core this process may run on (its CPU affinity). */
export function servePoolSize(cores = availableParallelism()): string {
  return String(Math.max(1, cores));
}

/** Set in the environment of the replaced process, so it does not replace itself again. */
const MARK = 'KOSMO_SERVE_MEMORY';

type Execve = (file: string, args: string[], env: NodeJS.ProcessEnv) => never;

export interface MemoryLimitPlan {
  args: string[];
  env: NodeJS.ProcessEnv;
}

/**
 * What to exec, or null when the limits are already in place (or were set by the operator) —
 * exported for the tests.
 */
export function memoryLimitPlan(proc: Pick<NodeJS.Process, 'env' | 'execArgv' | 'argv' | 'execPath'>): MemoryLimitPlan | null {
  if (proc.env[MARK] === '1') return null;
  const nodeOptions = proc.env.NODE_OPTIONS ?? '';
  const has = (flag: string) => [...proc.execArgv, nodeOptions].some((a) => a.includes(flag));
  const hasSemiSpace = has('--max-semi-space-size');
  const hasOldSpace = has('--max-old-space-size') || has('--max-heap-size');
  const hasArenas = proc.env.MALLOC_ARENA_MAX !== undefined;
  const hasPool = proc.env.UV_THREADPOOL_SIZE !== undefined;
  // Either spelling (`--allocation-site-pretenuring` or `--no-…`) is the operator's choice.
  const hasPretenuring = has('allocation-site-pretenuring');
  if (hasSemiSpace && hasOldSpace && hasArenas && hasPool && hasPretenuring) return null;
  const flags = [
    ...(hasSemiSpace ? [] : [`--max-semi-space-size=${SERVE_SEMI_SPACE_MB}`]),
    ...(hasOldSpace ? [] : [`--max-old-space-size=${SERVE_OLD_SPACE_MB}`]),
    ...(hasPretenuring ? [] : [SERVE_NO_PRETENURING]),
  ];
  return {
    args: [proc.execPath, ...proc.execArgv, ...flags, ...proc.argv.slice(1)],
    env: {
      ...proc.env,
      [MARK]: '1',
      MALLOC_ARENA_MAX: proc.env.MALLOC_ARENA_MAX ?? SERVE_MALLOC_ARENA_MAX,
      UV_THREADPOOL_SIZE: proc.env.UV_THREADPOOL_SIZE ?? servePoolSize(),
    },
  };
}

/** Replaces this process with one under the memory limits; returns only when it cannot (or need not). */
export function execUnderMemoryLimits(): void {
  const execve = (process as unknown as { execve?: Execve }).execve;
  if (typeof execve !== 'function' || process.platform === 'win32') return;
  const plan = memoryLimitPlan(process);
  if (!plan) return;
  try {
    execve.call(process, process.execPath, plan.args, plan.env);
  } catch {
    // e.g. a sandbox refusing execve: run without the limits rather than not at all.
  }
}
