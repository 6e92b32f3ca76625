// Bulk issuance throughput (DESIGN.md §6: members/s ÷ raw argon2id hashes/s on all cores ≥ 0.9):
// `kosmo member import` of 10 000 members (KOSMO_BENCH_IMPORT_N) into a temp data dir, through
// the real binary, against the raw hash rate with the same parameters and one worker per core.
import { spawnSync } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { argon2Rate } from './argon2-rate.mjs';

const bin = fileURLToPath(new URL('../../bin/kosmo.js', import.meta.url));
const n = Number(process.env.KOSMO_BENCH_IMPORT_N ?? 10_000);
const KANA = 'アイウエオカキクケコサシスセソタチツテトナニヌネノハヒフヘホマミムメモヤユヨラリルレロワ';

function kosmo(dataDir, args) {
  const env = Object.fromEntries(Object.entries(process.env).filter(([k]) => !k.startsWith('KOSMO_')));
  const r = spawnSync(process.execPath, [bin, '--data-dir', dataDir, ...args], { env: { ...env, KOSMO_STAFF: 'bench' }, encoding: 'utf8', maxBuffer: 64 << 20 });
  if (r.status !== 0) throw new Error(`kosmo ${args.join(' ')} exited ${r.status}: ${r.stderr || r.stdout}`);
  return r.stdout;
}

const root = mkdtempSync(join(tmpdir(), 'kosmo-import-bench-'));
try {
  const dataDir = join(root, 'data');
  kosmo(dataDir, ['init']);
  const rows = ['name,kana,birth_date,card_symbol,card_number,card_branch,relationship,email'];
  for (let i = 0; i < n; i++) {
    const kana = `カニュウ${KANA[i % KANA.length]}${KANA[Math.floor(i / KANA.length) % KANA.length]}${KANA[Math.floor(i / KANA.length ** 2) % KANA.length]}`;
    rows.push(`加入者${i},${kana},19${50 + (i % 50)}-${String((i % 12) + 1).padStart(2, '0')}-${String((i % 28) + 1).padStart(2, '0')},9,${100000 + i},00,self,m${i}@example.jp`);
  }
  const file = join(root, 'members.csv');
  writeFileSync(file, rows.join('\n') + '\n');

  // The yardstick, measured right before and right after the import (a busy machine moves both).
  const before = await argon2Rate('hash');

  const t0 = process.hrtime.bigint();
  const out = JSON.parse(kosmo(dataDir, ['member', 'import', file, '--out', join(root, 'credentials.csv'), '--json']));
  const seconds = Number(process.hrtime.bigint() - t0) / 1e9;
  if (out.issued !== n) throw new Error(`expected ${n} issued, got ${out.issued}`);
  const after = await argon2Rate('hash');
  const raw = (before.perSecond + after.perSecond) / 2;
  const rate = n / seconds;
  console.log(`member import: ${n} members in ${seconds.toFixed(1)} s, ${rate.toFixed(1)} members/s (whole command, SQLite)`);
  console.log(
    `member import members/s ÷ raw argon2id hashes/s (${raw.toFixed(1)}/s: ${before.perSecond.toFixed(1)} before, ${after.perSecond.toFixed(1)} after; all ${before.cores} cores): ${(rate / raw).toFixed(2)} (budget ≥ 0.9)`,
  );
} finally {
  rmSync(root, { recursive: true, force: true });
}
