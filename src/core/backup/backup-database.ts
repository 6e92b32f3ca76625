import { existsSync } from 'node:fs';
import type { KosmoConfig } from '../config.js';
import { SECRET_KEY_FILE } from '../config.js';
import { KosmoError } from '../errors.js';
import { privateTempBeside } from './backup-file.js';
import { integrityCheck, isKosmoDatabase, nativeSqlite } from './native-sqlite.js';
import { findTool, libpqTarget, runTool } from './pg-tools.js';
import { join } from 'node:path';

export interface BackupResult {
  file: string;
  size: number;
  dialect: 'sqlite' | 'postgresql';
  /** What checked the copy: SQLite's `integrity_check` answer, or `pg_restore --list`. */
  check: string;
  /** Where the secret key the backup needs lives (it is never in the backup). */
  key: { source: 'file' | 'env' | 'none'; file: string | null };
}

/**
 * `kosmo backup`: a consistent copy of the database while the portal keeps running.
 *
 * SQLite: `VACUUM INTO` a temporary file beside the target, on a connection of its own — one read
 * transaction, so the copy is a snapshot even while `kosmo serve` writes (WAL lets it), and it is
 * compact. The copy must pass `PRAGMA integrity_check` and hold KOSMO's schema; then it is
 * fsync'd and renamed into place, mode 0600 from the start. PostgreSQL: `pg_dump --format=custom`
 * from PATH into the same kind of temporary file, listed back with `pg_restore --list` as its
 * check. The secret key is never part of a backup (docs/operations.md).
 */
export async function backupDatabase(config: KosmoConfig, target: string, opts: { force?: boolean } = {}): Promise<BackupResult> {
  const key = { source: config.secretKeySource, file: config.secretKeySource === 'file' ? join(config.dataDir, SECRET_KEY_FILE) : null };
  if (config.dialect === 'sqlite') {
    const source = config.databaseUrl.slice('sqlite:'.length);
    if (!existsSync(source)) throw new KosmoError('DATA_DIR_MISSING', { dataDir: config.dataDir });
    const out = privateTempBeside(target, Boolean(opts.force));
    try {
      const Database = nativeSqlite();
      const db = new Database(source, { fileMustExist: true });
      try {
        db.pragma('busy_timeout = 5000');
        db.prepare('VACUUM INTO ?').run(out.tmp);
      } finally {
        db.close();
      }
      const copy = new Database(out.tmp, { readonly: true, fileMustExist: true });
      let check: string;
      try {
        check = integrityCheck(copy);
        if (check !== 'ok') throw new KosmoError('BACKUP_FAILED', { reason: 'INTEGRITY', check });
        if (!isKosmoDatabase(copy)) throw new KosmoError('BACKUP_FAILED', { reason: 'NOT_KOSMO' });
      } finally {
        copy.close();
      }
      const size = out.commit();
      return { file: out.target, size, dialect: 'sqlite', check, key };
    } catch (err) {
      out.discard();
      throw err;
    }
  }

  const pgDump = findTool('pg_dump');
  const out = privateTempBeside(target, Boolean(opts.force));
  try {
    const { dbname, env } = libpqTarget(config.databaseUrl);
    await runTool(pgDump, 'pg_dump', ['--format=custom', '--no-password', `--file=${out.tmp}`, `--dbname=${dbname}`], env);
    let check = 'PGDMP';
    try {
      const pgRestore = findTool('pg_restore');
      const listing = await runTool(pgRestore, 'pg_restore', ['--list', out.tmp], env, true);
      if (!/TABLE DATA .*kosmo_migrations/.test(listing)) throw new KosmoError('BACKUP_FAILED', { reason: 'NOT_KOSMO' });
      check = 'pg_restore --list';
    } catch (err) {
      // pg_restore is optional for a backup: without it the archive header is the check.
      if (!(err instanceof KosmoError && err.code === 'TOOL_MISSING')) throw err;
    }
    const size = out.commit();
    return { file: out.target, size, dialect: 'postgresql', check, key };
  } catch (err) {
    out.discard();
    throw err;
  }
}
