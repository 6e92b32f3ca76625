import { spawn } from 'node:child_process';
import { parse } from 'csv-parse/sync';
import { loadConfig } from '../../src/core/config.js';
import { createCore, type CoreContext } from '../../src/core/context.js';
import type { TestDatabase } from '../support/databases.js';
import { BIN, ROOT, kosmoIn, tempDataDir, type RunResult } from '../support/cli.js';

/**
 * A data directory for the real binary, on SQLite (the default file in the data dir) or on a
 * fresh PostgreSQL database (KOSMO_DATABASE_URL), plus a core opened on the same database so a
 * test can look at (or seed) what the binary wrote.
 */
export async function cliDatabase(database: TestDatabase) {
  const dir = tempDataDir();
  const pg = database.name === 'postgresql' ? await database.create() : null;
  const env: Record<string, string> = { KOSMO_STAFF: 'import-tester' };
  if (pg) env.KOSMO_DATABASE_URL = pg.url;
  const kosmo = kosmoIn(dir.dataDir, { env });
  let core: CoreContext | null = null;
  return {
    dir,
    dataDir: dir.dataDir,
    env,
    kosmo,
    /** The core on the binary's database (opened once, after `kosmo init`). */
    async core(): Promise<CoreContext> {
      core ??= await createCore(loadConfig({ dataDir: dir.dataDir, databaseUrl: pg?.url }, {}));
      return core;
    },
    async cleanup() {
      if (core) await core.db.close();
      if (pg) await pg.drop();
      dir.cleanup();
    },
  };
}

export type CliDatabase = Awaited<ReturnType<typeof cliDatabase>>;

/** Spawns the binary with the same clean environment `run` uses, for tests that need the process. */
export function spawnKosmo(dataDir: string, args: string[], env: Record<string, string>) {
  const childEnv: Record<string, string> = {};
  for (const [k, v] of Object.entries(process.env)) if (v !== undefined && !k.startsWith('KOSMO_') && k !== 'NODE_OPTIONS') childEnv[k] = v;
  Object.assign(childEnv, { TZ: 'Asia/Tokyo' }, env);
  return spawn(process.execPath, [BIN, '--data-dir', dataDir, ...args], { env: childEnv, cwd: ROOT, stdio: ['ignore', 'pipe', 'pipe'] });
}

export interface MemberRowSpec {
  name: string;
  kana: string;
  birth: string;
  symbol?: string;
  number?: string;
  branch?: string;
  relationship?: string;
  email?: string;
}

const KANA = 'アイウエオカキクケコサシスセソタチツテトナニヌネノハヒフヘホマミムメモヤユヨラリルレロワ';

/** `n` distinct members with cards 7001/<i>/00; every third has no email. */
export function members(n: number, symbol = '7001'): MemberRowSpec[] {
  return Array.from({ length: n }, (_, i) => ({
    name: `加入者${i + 1}`,
    kana: `カニュウシャ${KANA[i % KANA.length]}${KANA[Math.floor(i / KANA.length) % KANA.length]}`,
    birth: `19${50 + (i % 50)}-${String((i % 12) + 1).padStart(2, '0')}-${String((i % 28) + 1).padStart(2, '0')}`,
    symbol,
    number: String(10000 + i),
    branch: '00',
    relationship: i % 4 === 3 ? 'family' : 'self',
    email: i % 3 === 2 ? '' : `member${i + 1}@example.jp`,
  }));
}

export const HEADER = 'name,kana,birth_date,card_symbol,card_number,card_branch,relationship,email';

export function csvOf(rows: MemberRowSpec[], header = HEADER): string {
  return [header, ...rows.map((r) => [r.name, r.kana, r.birth, r.symbol ?? '', r.number ?? '', r.branch ?? '', r.relationship ?? '', r.email ?? ''].join(','))].join('\r\n') + '\r\n';
}

/** Parses the credentials CSV (UTF-8 with BOM) into objects keyed by its header. */
export function parseCredentials(text: string): Record<string, string>[] {
  if (!text.startsWith('\uFEFF')) throw new Error('credentials CSV must start with a BOM');
  return parse(text.slice(1), { columns: true, record_delimiter: '\r\n' }) as Record<string, string>[];
}

export function expectOk(r: RunResult): RunResult {
  if (r.code !== 0) throw new Error(`exit ${r.code}\n${r.stdout}\n${r.stderr}`);
  return r;
}
