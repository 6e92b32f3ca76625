import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { randomBytes } from 'node:crypto';
import pg from 'pg';

/**
 * The databases a data-layer suite runs on: always a real SQLite file; a real PostgreSQL too when
 * KOSMO_TEST_DATABASE_URL is set (.ci/run starts a throwaway cluster). Each call makes a fresh,
 * empty database and returns its URL and a cleanup.
 */
export interface TestDatabase {
  name: 'sqlite' | 'postgresql';
  create(): Promise<{ url: string; drop(): Promise<void> }>;
}

const sqlite: TestDatabase = {
  name: 'sqlite',
  async create() {
    const dir = mkdtempSync(join(tmpdir(), 'kosmo-test-'));
    return { url: `sqlite:${join(dir, 'kosmo.sqlite')}`, drop: async () => rmSync(dir, { recursive: true, force: true }) };
  },
};

function postgres(adminUrl: string): TestDatabase {
  return {
    name: 'postgresql',
    async create() {
      const name = `kosmo_t_${randomBytes(6).toString('hex')}`;
      const admin = new pg.Client({ connectionString: adminUrl });
      await admin.connect();
      await admin.query(`create database ${name}`);
      await admin.end();
      const u = new URL(adminUrl);
      u.pathname = `/${name}`;
      return {
        url: u.toString(),
        async drop() {
          const c = new pg.Client({ connectionString: adminUrl });
          await c.connect();
          await c.query(`drop database if exists ${name} with (force)`);
          await c.end();
        },
      };
    },
  };
}

export const testDatabases: TestDatabase[] = process.env.KOSMO_TEST_DATABASE_URL ? [sqlite, postgres(process.env.KOSMO_TEST_DATABASE_URL)] : [sqlite];
