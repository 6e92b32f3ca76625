import { createRequire } from 'node:module';

/** The part of better-sqlite3's API backup and restore use (the package ships no types). */
export interface NativeSqliteDb {
  prepare(sql: string): { run(...params: unknown[]): unknown; get(...params: unknown[]): unknown; all(...params: unknown[]): unknown[] };
  pragma(sql: string, options?: { simple?: boolean }): unknown;
  close(): void;
}
type NativeSqliteCtor = new (file: string, options?: { readonly?: boolean; fileMustExist?: boolean }) => NativeSqliteDb;

/**
 * better-sqlite3, the driver MikroORM's SQLite package loads (resolved from that package, so it is
 * the very same build), for what the ORM has no API for: `VACUUM INTO`, and reading a backup file
 * (integrity check, sealed secrets) without opening it as the live database.
 */
export function nativeSqlite(): NativeSqliteCtor {
  const require = createRequire(import.meta.resolve('@mikro-orm/sqlite'));
  return require('better-sqlite3') as NativeSqliteCtor;
}

/** `PRAGMA integrity_check` of a file: `ok`, or the problems it lists. */
export function integrityCheck(db: NativeSqliteDb): string {
  const rows = db.pragma('integrity_check') as { integrity_check: string }[];
  return rows.map((r) => r.integrity_check).join('; ');
}

/** Whether the file holds KOSMO's schema (its migrations table). */
export function isKosmoDatabase(db: NativeSqliteDb): boolean {
  const row = db.prepare("select count(*) as n from sqlite_master where type = 'table' and name = 'kosmo_migrations'").get() as { n: number };
  return row.n > 0;
}
