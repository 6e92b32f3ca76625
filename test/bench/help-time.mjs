// `kosmo --help` wall time ÷ `node -e 0` (budget ≤ 1.6, DESIGN.md §6): plain commands must not
// load Koa, Ink or React.
import { spawnSync } from 'node:child_process';
import { fileURLToPath } from 'node:url';

const bin = fileURLToPath(new URL('../../bin/kosmo.js', import.meta.url));

function median(cmd, args, runs) {
  const times = [];
  for (let i = 0; i < runs; i++) {
    const t0 = process.hrtime.bigint();
    const r = spawnSync(cmd, args, { stdio: 'ignore' });
    if (r.status !== 0) throw new Error(`${cmd} ${args.join(' ')} exited ${r.status}`);
    times.push(Number(process.hrtime.bigint() - t0) / 1e6);
  }
  times.sort((a, b) => a - b);
  return times[Math.floor(times.length / 2)];
}

export function helpTime(runs = 15) {
  median(process.execPath, ['-e', '0'], 3);
  const bare = median(process.execPath, ['-e', '0'], runs);
  const help = median(process.execPath, [bin, '--help'], runs);
  return { bareMs: bare, helpMs: help, ratio: help / bare };
}

if (import.meta.url === `file://${process.argv[1]}`) {
  const r = helpTime();
  console.log(`kosmo --help: ${r.helpMs.toFixed(1)} ms, node -e 0: ${r.bareMs.toFixed(1)} ms, ratio ${r.ratio.toFixed(2)} (budget ≤ 1.6)`);
}
