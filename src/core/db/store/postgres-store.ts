import type pg from 'pg';
import { createRequire } from 'node:module';
import { createHash } from 'node:crypto';
import { jsonKey, type Dialect, type Store, type StoreParams, type StoreQueries, type StoreRow } from './store.js';
import { toPositional } from './named-params.js';

export const postgresDialect: Dialect = {
  ts: (param) => `CAST(${param} AS timestamptz)`,
  plusSeconds: (expr, seconds) => `(${expr} + make_interval(secs => (${seconds})))`,
  jsonMember: (column, key) => `(${column} -> '${jsonKey(key)}')`,
};

/** A server-side prepared statement per SQL text (node-postgres prepares a named query once per connection). */
function statementName(text: string): string {
  return `k_${createHash('sha1').update(text).digest('hex').slice(0, 20)}`;
}

function queriesOn(client: pg.Pool | pg.PoolClient): StoreQueries {
  const exec = async (sql: string, params: StoreParams) => {
    const { text, values } = toPositional(sql, params);
    return client.query({ name: statementName(text), text, values });
  };
  return {
    sql: postgresDialect,
    async all<T extends StoreRow>(sql: string, params: StoreParams = {}) {
      return (await exec(sql, params)).rows as T[];
    },
    async run(sql: string, params: StoreParams = {}) {
      return (await exec(sql, params)).rowCount ?? 0;
    },
  };
}

/** A small pool of its own beside MikroORM's, for the store's prepared statements. */
export function createPostgresStore(url: string): Store {
  // Required here, not imported: a SQLite deployment never loads the PostgreSQL driver.
  const { Pool } = createRequire(import.meta.url)('pg') as typeof pg;
  const pool = new Pool({ connectionString: url, max: 10 });
  // An idle client's error (server restart) must not crash the process; the next query reconnects.
  pool.on('error', () => {});
  const direct = queriesOn(pool);
  return {
    dialect: 'postgresql',
    sql: postgresDialect,
    all: direct.all,
    run: direct.run,
    async transaction(work) {
      const client = await pool.connect();
      try {
        await client.query('BEGIN');
        const result = await work(queriesOn(client));
        await client.query('COMMIT');
        return result;
      } catch (err) {
        await client.query('ROLLBACK').catch(() => {});
        throw err;
      } finally {
        client.release();
      }
    },
    close: () => pool.end(),
  };
}
