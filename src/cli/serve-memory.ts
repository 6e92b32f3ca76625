/**
 * The memory limits `kosmo serve` runs under (issue 10; measurements in docs/performance.md):
 *
 * - `--max-semi-space-size`: V8's young generation. Left alone it grows to tens of MB per
 *   semi-space on a machine with much RAM, which is most of the portal's peak RSS; a small one costs
 *   a few more scavenges (each well under a millisecond for the portal's short-lived objects).
 * - `MALLOC_ARENA_MAX=1`: glibc gives every thread that allocates its own arena, and argon2
 *   allocates its 19 MiB block on whichever libuv thread runs it; after the first free, glibc's
 *   dynamic mmap threshold keeps such blocks inside the arenas, so the pool threads kept ~70–90 MB
 *   between logins. With one arena the blocks come from the main heap, whose top is given back
 *   when freed (measured under login load: anonymous RSS 64 MB with one arena, 132 MB with two).
 *   argon2 takes one block per hash, so sharing the arena's lock costs nothing measurable.
 *   (`MALLOC_MMAP_THRESHOLD_` would also give the memory back, but makes argon2 ~20 % slower.)
 *
 * Both must be in place when the process starts, so `kosmo serve` replaces itself (execve: same
 * process id, same stdio and signals, nothing left behind) with `node <flags> bin/kosmo.js serve …`
 * before it opens the database. Flags or variables the operator set (NODE_OPTIONS, node's own
 * command line, the environment) win over these defaults. Where execve is unavailable (Windows,
 * Node without `process.execve`), the portal runs as it is, without the limits.
 */
export const SERVE_SEMI_SPACE_MB = 2;
export const SERVE_MALLOC_ARENA_MAX = '1';

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
  const hasSemiSpace = [...proc.execArgv, nodeOptions].some((a) => a.includes('--max-semi-space-size'));
  const hasArenas = proc.env.MALLOC_ARENA_MAX !== undefined;
  if (hasSemiSpace && hasArenas) return null;
  const flags = hasSemiSpace ? [] : [`--max-semi-space-size=${SERVE_SEMI_SPACE_MB}`];
  return {
    args: [proc.execPath, ...proc.execArgv, ...flags, ...proc.argv.slice(1)],
    env: { ...proc.env, [MARK]: '1', MALLOC_ARENA_MAX: proc.env.MALLOC_ARENA_MAX ?? SERVE_MALLOC_ARENA_MAX },
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
