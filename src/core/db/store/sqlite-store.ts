import { jsonKey, type Dialect, type Store, type StoreParams, type StoreQueries, type StoreRow } from './store.js';
import { usedNames } from './named-params.js';

/** Runs `consume` while holding the connection MikroORM's SQLite driver serialises on. */
export type ConnectionLock = <T>(consume: () => Promise<T>) => Promise<T>;

export const sqliteDialect: Dialect = {
  ts: (param) => param,
  plusSeconds: (expr, seconds) => `(${expr} + (${seconds}) * 1000)`,
  jsonMember: (column, key) => `json_extract(${column}, '$.${jsonKey(key)}')`,
};

type Bound = Record<string, number | string | bigint | null>;

/** The part of better-sqlite3's API the store uses (the package ships no types). */
export interface NativeSqlite {
  prepare(sql: string): NativeStatement;
  readonly inTransaction: boolean;
}
interface NativeStatement {
  all(params: Bound): unknown[];
  run(params?: Bound): { changes: number };
}

/**
 * better-sqlite3 prepared statements, cached by SQL text. Every call holds the same connection lock
 * as MikroORM's own queries and transactions, so a statement never lands inside someone else's
 * open transaction on the shared connection.
 */
export function createSqliteStore(native: NativeSqlite, lock: ConnectionLock): Store {
  const cache = new Map<string, { stmt: NativeStatement; names: Set<string> }>();
  const prepared = (sql: string) => {
    let entry = cache.get(sql);
    if (!entry) {
      entry = { stmt: native.prepare(sql), names: usedNames(sql) };
      cache.set(sql, entry);
    }
    return entry;
  };
  const bind = (names: Set<string>, params: StoreParams): Bound => {
    const out: Bound = {};
    for (const name of names) {
      if (!(name in params)) throw new TypeError(`store: no value for :${name}`);
      const v = params[name];
      out[name] = v instanceof Date ? v.getTime() : typeof v === 'boolean' ? (v ? 1 : 0) : (v ?? null);
    }
    return out;
  };
  const direct: StoreQueries = {
    sql: sqliteDialect,
    async all<T extends StoreRow>(sql: string, params: StoreParams = {}) {
      const { stmt, names } = prepared(sql);
      return stmt.all(bind(names, params)) as T[];
    },
    async run(sql: string, params: StoreParams = {}) {
      const { stmt, names } = prepared(sql);
      return stmt.run(bind(names, params)).changes;
    },
  };
  return {
    dialect: 'sqlite',
    sql: sqliteDialect,
    // better-sqlite3 runs a statement synchronously, so while no transaction is open on the
    // connection nothing can interleave with it and the lock (a promise round trip per call,
    // a third of a page view's data-layer time) is not needed. An open transaction (MikroORM's or
    // this store's) holds the lock until it ends: then the statement waits for it.
    all: (sql, params) => (native.inTransaction ? lock(() => direct.all(sql, params)) : direct.all(sql, params)),
    run: (sql, params) => (native.inTransaction ? lock(() => direct.run(sql, params)) : direct.run(sql, params)),
    transaction: (work) =>
      lock(async () => {
        // IMMEDIATE takes the write lock at once: no other connection (a staff command) can slip
        // a write between this transaction's read and its write.
        prepared('BEGIN IMMEDIATE').stmt.run();
        try {
          const result = await work(direct);
          prepared('COMMIT').stmt.run();
          return result;
        } catch (err) {
          if (native.inTransaction) prepared('ROLLBACK').stmt.run();
          throw err;
        }
      }),
    close: async () => cache.clear(),
  };
}
