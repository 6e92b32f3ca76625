import { loadConfig } from '../../src/core/config.js';
import { createCore, type CoreContext } from '../../src/core/context.js';
import { openDatabase, migrate } from '../../src/core/db/orm.js';
import { FixedClock } from '../../src/core/clock.js';
import { createSociety } from '../../src/core/society/create-society.js';
import { staff } from '../../src/core/actor.js';
import type { SocietyRow } from '../../src/core/db/entities/index.js';
import type { TestDatabase } from './databases.js';

export const TEST_KEY = Buffer.alloc(32, 7);
export const STAFF = staff('tester');

export interface TestCore {
  /** The database's URL, for a second process-like core on the same data (openPeerCore). */
  databaseUrl: string;
  core: CoreContext;
  clock: FixedClock;
  society: SocietyRow;
  close(): Promise<void>;
}

/** A migrated, empty database with one society (`sckenpo`), a fixed clock and a fixed key. */
export async function createTestCore(database: TestDatabase, start = '2026-04-01T00:00:00Z'): Promise<TestCore> {
  const { url, drop } = await database.create();
  const db = await openDatabase(url);
  await migrate(db);
  const clock = new FixedClock(start);
  const config = { ...loadConfig({ dataDir: '/nonexistent-kosmo-test', databaseUrl: url }, {}), secretKey: TEST_KEY, secretKeySource: 'env' as const };
  const core = await createCore(config, { db, clock });
  const society = await createSociety(core, STAFF, { code: 'sckenpo', name: '大和総研健保', portalTitle: '大和総研健保加入者ページ' });
  return {
    databaseUrl: url,
    core,
    clock,
    society,
    async close() {
      await db.close();
      await drop();
    },
  };
}

/**
 * A second core on the same database, with its own ORM, connections and store (as a second
 * `kosmo serve` process has), sharing the test's clock and key.
 */
export async function openPeerCore(t: TestCore): Promise<CoreContext> {
  const db = await openDatabase(t.databaseUrl);
  return createCore(t.core.config, { db, clock: t.clock });
}
