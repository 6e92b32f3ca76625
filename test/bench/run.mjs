// `npm run bench`: every benchmark in test/bench, printed as plain lines, then every figure that
// has a budget (DESIGN.md §6) once more, side by side.
import { readdirSync } from 'node:fs';
import { spawnSync } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { dirname, join } from 'node:path';
import { helpTime } from './help-time.mjs';
import { argon2Rate } from './argon2-rate.mjs';

const here = dirname(fileURLToPath(import.meta.url));
const lines = [];
const say = (line) => {
  console.log(line);
  lines.push(line);
};
const h = helpTime();
say(`kosmo --help ÷ node -e 0: ${h.ratio.toFixed(2)} (${h.helpMs.toFixed(1)} ms vs ${h.bareMs.toFixed(1)} ms; budget ≤ 1.6)`);
const v = await argon2Rate('verify');
say(`raw argon2id verifies/s, all ${v.cores} cores: ${v.perSecond.toFixed(1)}`);
const hs = await argon2Rate('hash');
say(`raw argon2id hashes/s, all ${hs.cores} cores: ${hs.perSecond.toFixed(1)}`);

// The other benchmarks run as their own processes so one's load does not skew the next.
const others = readdirSync(here)
  .filter((f) => f.endsWith('-bench.mjs'))
  .sort();
for (const f of others) {
  const r = spawnSync(process.execPath, [join(here, f)], {
    stdio: ['ignore', 'pipe', 'inherit'],
    encoding: 'utf8',
    maxBuffer: 64 << 20,
    env: { ...process.env, KOSMO_BENCH_ARGON2_VERIFY: String(v.perSecond), KOSMO_BENCH_ARGON2_HASH: String(hs.perSecond) },
  });
  for (const line of (r.stdout ?? '').split('\n').filter(Boolean)) say(line);
  if (r.status !== 0) {
    console.error(`${f} failed (exit ${r.status})`);
    process.exitCode = 1;
  }
}
console.log('\nbudgets (DESIGN.md §6), side by side:');
for (const line of lines.filter((l) => l.includes('budget'))) console.log(`  ${line.trim()}`);
