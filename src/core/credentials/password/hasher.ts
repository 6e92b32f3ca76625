import argon2 from 'argon2';
import { availableParallelism } from 'node:os';

/**
 * argon2id with m=19456 KiB, t=2, p=1: the OWASP Password Storage Cheat Sheet minimum, set
 * explicitly because the library default (64 MiB, t=3, p=4) is ~8 hashes/s on these machines.
 */
export const ARGON2_PARAMS = { type: argon2.argon2id, memoryCost: 19456, timeCost: 2, parallelism: 1 } as const;

export interface PasswordHasher {
  hash(password: string): Promise<string>;
  verify(hash: string, password: string): Promise<boolean>;
  /** Spend the same time as a real verify, for unknown accounts (ASVS 6.3.8). */
  verifyDummy(password: string): Promise<false>;
}

let dummyHash: Promise<string> | null = null;

/**
 * At most `limit` argon2 computations handed to libuv's pool at once. Each takes 19 MiB and a full
 * core while it runs: more running than cores adds memory and latency, not throughput. The default
 * is one more than the cores: `kosmo serve` sizes the pool to the cores (src/cli/serve-memory.ts),
 * so at most that many run and one waits in the pool's queue, where a thread that finishes takes
 * it at once — with exactly as many as threads, every finished hash left its core idle until the
 * event loop got round to starting the next.
 */
function limiter(limit: number) {
  let active = 0;
  const waiting: (() => void)[] = [];
  return async function run<T>(task: () => Promise<T>): Promise<T> {
    if (active >= limit) await new Promise<void>((resolve) => waiting.push(resolve));
    active++;
    try {
      return await task();
    } finally {
      active--;
      waiting.shift()?.();
    }
  };
}

export function createArgon2Hasher(concurrency = availableParallelism() + 1): PasswordHasher {
  const run = limiter(Math.max(1, concurrency));
  const hasher: PasswordHasher = {
    hash: (password) => run(() => argon2.hash(password, ARGON2_PARAMS)),
    async verify(hash, password) {
      try {
        return await run(() => argon2.verify(hash, password));
      } catch {
        return false;
      }
    },
    async verifyDummy(password) {
      dummyHash ??= argon2.hash('kosmo-dummy-password-for-timing', ARGON2_PARAMS);
      const hash = await dummyHash;
      await run(() => argon2.verify(hash, password));
      return false;
    },
  };
  return hasher;
}
