// Raw argon2id throughput with KOSMO's parameters on all cores: the yardstick the login and
// bulk-issuance budgets are measured against (DESIGN.md §6).
import { Worker } from 'node:worker_threads';
import { availableParallelism } from 'node:os';

const workerSource = `
const { parentPort, workerData } = require('node:worker_threads');
const argon2 = require(workerData.argon2Path);
const params = { type: argon2.argon2id, memoryCost: 19456, timeCost: 2, parallelism: 1 };
(async () => {
  const hash = await argon2.hash('benchmark-password', params);
  const end = Date.now() + workerData.ms;
  let n = 0;
  while (Date.now() < end) {
    if (workerData.mode === 'verify') await argon2.verify(hash, 'benchmark-password');
    else await argon2.hash('benchmark-password', params);
    n++;
  }
  parentPort.postMessage(n);
})();
`;

export async function argon2Rate(mode = 'verify', ms = 3000) {
  const { createRequire } = await import('node:module');
  const argon2Path = createRequire(import.meta.url).resolve('argon2');
  const cores = availableParallelism();
  const cpuBefore = process.cpuUsage();
  const counts = await Promise.all(
    Array.from(
      { length: cores },
      () =>
        new Promise((resolve, reject) => {
          const w = new Worker(workerSource, { eval: true, workerData: { argon2Path, ms, mode } });
          w.once('message', (n) => {
            resolve(n);
            w.terminate();
          });
          w.once('error', reject);
        }),
    ),
  );
  const cpu = process.cpuUsage(cpuBefore);
  const total = counts.reduce((a, b) => a + b, 0);
  // CPU milliseconds per operation (all threads of this process; includes one hash per worker made
  // before the timed loop): comparable under load, unlike the rate.
  return { cores, perSecond: total / (ms / 1000), cpuMs: (cpu.user + cpu.system) / 1000 / (total + cores) };
}

// Run alone: `node argon2-rate.mjs` prints the rate; `--json` prints the figures as one JSON line
// (portal-bench runs it that way under `taskset`, on the core the portal is pinned to: on one core,
// availableParallelism() is 1, so one worker hashes at a time).
if (import.meta.url === `file://${process.argv[1]}`) {
  const v = await argon2Rate('verify');
  if (process.argv.includes('--json')) console.log(JSON.stringify(v));
  else console.log(`argon2id verifies/s (m=19456 KiB, t=2, p=1, ${v.cores} cores): ${v.perSecond.toFixed(1)}`);
}
