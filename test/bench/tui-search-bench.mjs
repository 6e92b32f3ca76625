// TUI search latency over 100 000 members (KOSMO_BENCH_MEMBERS): the search the TUI runs as staff
// type (searchMembers, in the database, with a limit), p50 / p95 per kind of query. The members are
// seeded with batched raw inserts (no hashing: search does not read passwords).
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

const dist = (p) => new URL(`../../dist/core/${p}`, import.meta.url).href;
const { openDatabase, migrate } = await import(dist('db/orm.js'));
const { createCore } = await import(dist('context.js'));
const { loadConfig } = await import(dist('config.js'));
const { createSociety } = await import(dist('society/create-society.js'));
const { searchMembers } = await import(dist('accounts/search-members.js'));

const n = Number(process.env.KOSMO_BENCH_MEMBERS ?? 100_000);
const runs = Number(process.env.KOSMO_BENCH_SEARCH_RUNS ?? 40);
const KANA = 'アイウエオカキクケコサシスセソタチツテトナニヌネノハヒフヘホマミムメモヤユヨラリルレロワ';
const SURNAMES = ['山田', '佐藤', '鈴木', '高橋', '田中', '伊藤', '渡辺', '中村', '小林', '加藤'];

const root = mkdtempSync(join(tmpdir(), 'kosmo-search-bench-'));
const url = process.env.KOSMO_BENCH_DATABASE_URL ?? `sqlite:${join(root, 'kosmo.sqlite')}`;
const db = await openDatabase(url);
try {
  await migrate(db);
  const config = { ...loadConfig({ dataDir: root, databaseUrl: url }, {}), secretKey: Buffer.alloc(32, 1), secretKeySource: 'env' };
  const core = await createCore(config, { db });
  const society = await createSociety(core, { type: 'system', name: 'bench' }, { code: `bench${Date.now() % 100000}`, name: 'ベンチ健保' });

  const t0 = Date.now();
  const cols = [
    'society_id',
    'user_id',
    'name',
    'kana',
    'birth_date',
    'card_symbol',
    'card_number',
    'card_branch',
    'card_key',
    'relationship',
    'email',
    'status',
    'preferred_method',
    'onboarding_step',
    'provisional_expires_at',
    'issued_at',
    'first_login_at',
    'last_login_at',
    'created_at',
    'updated_at',
  ];
  const conn = db.orm.em.getConnection();
  const now = new Date();
  const stamp = db.dialect === 'sqlite' ? now.getTime() : now;
  const CHUNK = 500;
  for (let start = 0; start < n; start += CHUNK) {
    const params = [];
    const tuples = [];
    for (let i = start; i < Math.min(n, start + CHUNK); i++) {
      const k = `${KANA[i % KANA.length]}${KANA[Math.floor(i / KANA.length) % KANA.length]}${KANA[Math.floor(i / KANA.length ** 2) % KANA.length]}`;
      const number = String(1_000_000 + i);
      params.push(
        society.id,
        `k${i.toString(36).padStart(9, '0')}`,
        `${SURNAMES[i % 10]}${i}`,
        `カナ${k}`,
        `19${50 + (i % 50)}-${String((i % 12) + 1).padStart(2, '0')}-${String((i % 28) + 1).padStart(2, '0')}`,
        '11',
        number,
        '00',
        `11|${number}|00`,
        'self',
        `member${i}@example.jp`,
        'active',
        'otp',
        null,
        null,
        stamp,
        stamp,
        stamp,
        stamp,
        stamp,
      );
      tuples.push(`(${cols.map(() => '?').join(',')})`);
    }
    await conn.execute(`insert into member (${cols.join(',')}) values ${tuples.join(',')}`, params);
  }
  if (db.dialect === 'postgresql') await conn.execute('analyze member');
  console.log(`tui search: seeded ${n} members in ${((Date.now() - t0) / 1000).toFixed(1)} s (${db.dialect})`);

  const queries = {
    'user ID prefix': (i) => `k${((i * 7919) % n).toString(36).padStart(9, '0').slice(0, 7)}`,
    'name fragment': (i) => `${SURNAMES[i % 10]}${(i * 31) % 1000}`,
    'kana prefix': (i) => `カナ${KANA[i % KANA.length]}${KANA[(i * 3) % KANA.length]}`,
    'card number': (i) => String(1_000_000 + ((i * 104729) % n)),
    'email prefix': (i) => `member${(i * 613) % n}@`,
    'birth date': (i) => `19${50 + (i % 50)}-0${(i % 9) + 1}-1${i % 9}`,
  };
  const all = [];
  for (const [kind, q] of Object.entries(queries)) {
    const times = [];
    for (let i = 0; i < runs; i++) {
      const s = process.hrtime.bigint();
      await searchMembers(core, society.id, q(i), 50);
      times.push(Number(process.hrtime.bigint() - s) / 1e6);
    }
    all.push(...times);
    times.sort((a, b) => a - b);
    console.log(`tui search ${kind}: p50 ${times[Math.floor(times.length * 0.5)].toFixed(1)} ms, p95 ${times[Math.floor(times.length * 0.95)].toFixed(1)} ms`);
  }
  all.sort((a, b) => a - b);
  console.log(`tui search over ${n} members (limit 50, ${db.dialect}): p50 ${all[Math.floor(all.length * 0.5)].toFixed(1)} ms, p95 ${all[Math.floor(all.length * 0.95)].toFixed(1)} ms`);
} finally {
  await db.close();
  rmSync(root, { recursive: true, force: true });
}
