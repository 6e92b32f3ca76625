import { MikroORM, type Options } from '@mikro-orm/core';
import type { AbstractSqlConnection, EntityManager } from '@mikro-orm/sql';
import { Migrator } from '@mikro-orm/migrations';
import { allEntities } from './entities/index.js';
import { sqliteMigrations } from './migrations/sqlite/index.js';
import { postgresqlMigrations } from './migrations/postgresql/index.js';
import { KosmoError } from '../errors.js';
import type { Store } from './store/store.js';
import { createSqliteStore, type NativeSqlite } from './store/sqlite-store.js';
import { createPostgresStore } from './store/postgres-store.js';

export interface Database {
  orm: MikroORM;
  dialect: 'sqlite' | 'postgresql';
  /** A fresh unit of work; services fork one per call. */
  em(): EntityManager;
  /**
   * Prepared statements for atomic conditional changes and the per-request hot path. On SQLite it
   * shares MikroORM's connection and its lock: never call it inside an `em.transactional` callback.
   */
  store: Store;
  close(): Promise<void>;
}

const MIGRATIONS_TABLE = 'kosmo_migrations';

function baseOptions(dialect: 'sqlite' | 'postgresql'): Partial<Options> {
  return {
    entities: allEntities,
    extensions: [Migrator],
    migrations: {
      tableName: MIGRATIONS_TABLE,
      migrationsList: dialect === 'sqlite' ? sqliteMigrations : postgresqlMigrations,
      transactional: true,
      allOrNothing: true,
      snapshot: false,
      snapshotOnMigrate: false,
      silent: true,
    },
    allowGlobalContext: false,
    debug: false,
    // Schema comes from migrations only (DESIGN.md §2): never sync or guess at run time.
    ensureDatabase: false,
  };
}

export async function openDatabase(databaseUrl: string): Promise<Database> {
  let orm: MikroORM;
  let dialect: 'sqlite' | 'postgresql';
  let store: Store;
  try {
    if (databaseUrl.startsWith('sqlite:')) {
      dialect = 'sqlite';
      const { SqliteDriver } = await import('@mikro-orm/sqlite');
      const file = databaseUrl.slice('sqlite:'.length);
      orm = await MikroORM.init({ ...baseOptions(dialect), driver: SqliteDriver, dbName: file } as Options);
      const connection = orm.em.getConnection() as unknown as AbstractSqlConnection;
      const native = (await (connection as unknown as { getNativeClient(): Promise<unknown> }).getNativeClient()) as NativeSqlite & { pragma(s: string): unknown };
      // WAL lets the portal read while a staff command writes; busy_timeout waits instead of failing.
      if (file !== ':memory:') native.pragma('journal_mode = WAL');
      native.pragma('busy_timeout = 5000');
      native.pragma('foreign_keys = ON');
      const executor = connection.getClient().getExecutor();
      store = createSqliteStore(native, (consume) => executor.provideConnection(() => consume()));
    } else {
      dialect = 'postgresql';
      const { PostgreSqlDriver } = await import('@mikro-orm/postgresql');
      orm = await MikroORM.init({ ...baseOptions(dialect), driver: PostgreSqlDriver, clientUrl: databaseUrl } as Options);
      await orm.em.getConnection().execute('select 1');
      store = createPostgresStore(databaseUrl);
    }
  } catch (cause) {
    if (cause instanceof KosmoError) throw cause;
    // The driver's code (SQLITE_NOTADB, ECONNREFUSED, 28P01 …), not its English message (src/staff-text has the words).
    throw new KosmoError('CONFIG_INVALID', { reason: 'DATABASE_UNOPENABLE', error: String((cause as { code?: unknown })?.code ?? (cause as Error)?.name ?? 'Error') }, { cause });
  }
  return {
    orm,
    dialect,
    em: () => orm.em.fork() as unknown as EntityManager,
    store,
    close: async () => {
      await store.close();
      await orm.close(true);
    },
  };
}

export async function pendingMigrations(db: Database): Promise<string[]> {
  const pending = await db.orm.migrator.getPending();
  return pending.map((m) => m.name);
}

export async function migrate(db: Database): Promise<string[]> {
  const done = await db.orm.migrator.up();
  return done.map((m) => m.name);
}
