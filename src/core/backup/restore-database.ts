import { chmodSync, copyFileSync, constants, existsSync, mkdirSync, readdirSync, renameSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import type { KosmoConfig } from '../config.js';
import { SECRET_KEY_FILE } from '../config.js';
import { KosmoError } from '../errors.js';
import { migrate, openDatabase } from '../db/orm.js';
import { backupKind } from './backup-file.js';
import { integrityCheck, isKosmoDatabase, nativeSqlite } from './native-sqlite.js';
import { findTool, libpqTarget, runTool } from './pg-tools.js';
import { checkSealedSecrets, sealedRowsFromCopy, SQLITE_OIDC_SEALED_QUERY, SQLITE_SEALED_QUERY, type KeyCheck, type SealedRow } from './sealed-secrets.js';

export interface RestoreInput {
  /** The backup file (`kosmo backup` output). */
  file: string;
  /** The new data directory and its database (from --data-dir and KOSMO_DATABASE_URL). */
  config: KosmoConfig;
  /** The secret key of the data directory the backup was taken from. */
  key: Buffer;
  /** Where the key came from: a file is copied into the new data directory, the environment is not. */
  keyFrom: 'file' | 'env';
}

export interface RestoreResult {
  file: string;
  dataDir: string;
  dialect: 'sqlite' | 'postgresql';
  /** Sealed secrets the key was checked against (0: none to check). */
  keyCheck: KeyCheck;
  keyFile: string | null;
  migrationsApplied: string[];
}

function isEmptyDir(dir: string): boolean {
  return statSync(dir).isDirectory() && readdirSync(dir).length === 0;
}

function requireKey(check: KeyCheck): void {
  if (check.failed > 0) throw new KosmoError('SECRET_KEY_MISMATCH', { count: check.count, failed: check.failed });
}

/**
 * `kosmo restore`: a backup into a new, empty data directory. Nothing is written before the backup
 * proved readable and the key proved to open its sealed secrets (a wrong key: SECRET_KEY_MISMATCH,
 * exit 5). Then the database is put in place, the key file written (mode 0600) when the key came
 * from a file, and pending migrations applied, so a backup of an older version comes up current.
 * A failure removes what the restore created.
 */
export async function restoreBackup(input: RestoreInput): Promise<RestoreResult> {
  const { config } = input;
  let kind: ReturnType<typeof backupKind>;
  try {
    kind = backupKind(input.file);
  } catch {
    throw new KosmoError('FILE_UNREADABLE', { file: input.file });
  }
  if (kind === null) throw new KosmoError('BACKUP_INVALID', { file: input.file, reason: 'NOT_A_BACKUP' });
  if (kind === 'sqlite' && config.dialect !== 'sqlite') throw new KosmoError('BACKUP_INVALID', { file: input.file, reason: 'DIALECT_MISMATCH', backup: 'SQLite', target: 'PostgreSQL' });
  if (kind === 'pg_dump' && config.dialect !== 'postgresql') throw new KosmoError('BACKUP_INVALID', { file: input.file, reason: 'PG_TARGET_REQUIRED' });

  const dataDir = config.dataDir;
  const existed = existsSync(dataDir);
  if (existed && !isEmptyDir(dataDir)) throw new KosmoError('DATA_DIR_NOT_EMPTY', { dataDir });
  const created: string[] = [];
  const undo = () => {
    for (const p of created.reverse()) for (const f of [p, `${p}-wal`, `${p}-shm`, `${p}-journal`]) rmSync(f, { recursive: true, force: true });
  };

  try {
    let keyCheck: KeyCheck;
    if (kind === 'sqlite') {
      const dbFile = config.databaseUrl.slice('sqlite:'.length);
      if (existsSync(dbFile)) throw new KosmoError('FILE_EXISTS', { file: dbFile });
      if (!existed) {
        mkdirSync(dataDir, { recursive: true, mode: 0o700 });
        created.push(dataDir);
      }
      mkdirSync(dirname(dbFile), { recursive: true, mode: 0o700 });
      const staging = `${dbFile}.restoring`;
      created.push(staging);
      copyFileSync(input.file, staging, constants.COPYFILE_EXCL);
      chmodSync(staging, 0o600);
      keyCheck = readSqliteBackup(input.file, staging, input.key);
      requireKey(keyCheck);
      renameSync(staging, dbFile);
      created.pop();
      created.push(dbFile);
    } else {
      const pgRestore = findTool('pg_restore');
      const { dbname, env } = libpqTarget(config.databaseUrl);
      const rows: SealedRow[] = sealedRowsFromCopy(
        await runTool(pgRestore, 'pg_restore', ['--data-only', '--table=member', '--table=totp_device', '--table=oidc_key', '--table=oidc_client', '--file=-', input.file], env, true),
      );
      keyCheck = checkSealedSecrets(rows, input.key);
      requireKey(keyCheck);
      await assertEmptyPostgres(config.databaseUrl);
      if (!existed) {
        mkdirSync(dataDir, { recursive: true, mode: 0o700 });
        created.push(dataDir);
      }
      await runTool(pgRestore, 'pg_restore', ['--no-owner', '--no-privileges', '--exit-on-error', '--single-transaction', '--no-password', `--dbname=${dbname}`, input.file], env);
    }

    let keyFile: string | null = null;
    if (input.keyFrom === 'file') {
      keyFile = join(dataDir, SECRET_KEY_FILE);
      writeFileSync(keyFile, input.key.toString('hex') + '\n', { mode: 0o600, flag: 'wx' });
      chmodSync(keyFile, 0o600);
      created.push(keyFile);
    }

    const db = await openDatabase(config.databaseUrl);
    let migrationsApplied: string[];
    try {
      migrationsApplied = await migrate(db);
    } finally {
      await db.close();
    }
    return { file: input.file, dataDir, dialect: kind === 'sqlite' ? 'sqlite' : 'postgresql', keyCheck, keyFile, migrationsApplied };
  } catch (err) {
    undo();
    throw err;
  }
}

/** Integrity, schema and the key, read from the staged copy (the live path is not touched yet). */
function readSqliteBackup(file: string, staging: string, key: Buffer): KeyCheck {
  const Database = nativeSqlite();
  let db;
  try {
    db = new Database(staging, { readonly: true, fileMustExist: true });
  } catch {
    throw new KosmoError('BACKUP_INVALID', { file, reason: 'NOT_A_BACKUP' });
  }
  try {
    let check: string;
    try {
      check = integrityCheck(db);
    } catch {
      throw new KosmoError('BACKUP_INVALID', { file, reason: 'NOT_A_BACKUP' });
    }
    if (check !== 'ok') throw new KosmoError('BACKUP_INVALID', { file, reason: 'INTEGRITY', check });
    if (!isKosmoDatabase(db)) throw new KosmoError('BACKUP_INVALID', { file, reason: 'NOT_KOSMO' });
    const rows = db.prepare(SQLITE_SEALED_QUERY).all() as SealedRow[];
    // Backups made before single sign-on (issue 14) have no oidc_key table.
    const hasOidc = (db.prepare("select count(*) as n from sqlite_master where type = 'table' and name = 'oidc_key'").all() as { n: number }[])[0]!.n > 0;
    return checkSealedSecrets(hasOidc ? [...rows, ...(db.prepare(SQLITE_OIDC_SEALED_QUERY).all() as SealedRow[])] : rows, key);
  } finally {
    db.close();
  }
}

/** pg_restore goes into an empty database only: it must not mix with, or overwrite, live data. */
async function assertEmptyPostgres(databaseUrl: string): Promise<void> {
  const db = await openDatabase(databaseUrl);
  try {
    const rows = (await db.orm.em.getConnection().execute("select count(*)::int as n from information_schema.tables where table_schema not in ('pg_catalog', 'information_schema')")) as {
      n: number;
    }[];
    const tables = Number(rows[0]?.n ?? 0);
    if (tables > 0) throw new KosmoError('DATABASE_NOT_EMPTY', { tables });
  } finally {
    await db.close();
  }
}
