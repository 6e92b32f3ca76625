import { closeSync, existsSync, fsyncSync, openSync, readSync, renameSync, rmSync, statSync } from 'node:fs';
import { basename, dirname, join, resolve } from 'node:path';
import { randomBytes } from 'node:crypto';
import { KosmoError } from '../errors.js';

export type BackupKind = 'sqlite' | 'pg_dump';

/** What a backup file is, by its first bytes: an SQLite database or a pg_dump custom archive. */
export function backupKind(file: string): BackupKind | null {
  const fd = openSync(file, 'r');
  try {
    const head = Buffer.alloc(16);
    const n = readSync(fd, head, 0, 16, 0);
    if (n >= 16 && head.toString('latin1') === 'SQLite format 3\0') return 'sqlite';
    if (n >= 5 && head.subarray(0, 5).toString('latin1') === 'PGDMP') return 'pg_dump';
    return null;
  } finally {
    closeSync(fd);
  }
}

/**
 * A temporary file next to `target`, created empty with mode 0600 (never readable by others, not
 * even for a moment), for a backup to be written into and renamed over `target` once checked.
 * Refuses an existing target unless `force` (FILE_EXISTS, exit 4).
 */
export function privateTempBeside(target: string, force: boolean): { target: string; tmp: string; commit(): number; discard(): void } {
  const abs = resolve(target);
  const dir = dirname(abs);
  if (!existsSync(dir) || !statSync(dir).isDirectory()) throw new KosmoError('INPUT_INVALID', { field: 'file', reason: 'NO_SUCH_DIRECTORY', dir });
  if (existsSync(abs) && !force) throw new KosmoError('FILE_EXISTS', { file: abs });
  const tmp = join(dir, `.${basename(abs)}.${randomBytes(4).toString('hex')}.tmp`);
  closeSync(openSync(tmp, 'wx', 0o600));
  return {
    target: abs,
    tmp,
    /** fsync, then the atomic rename into place; returns the size. */
    commit() {
      const fd = openSync(tmp, 'r+');
      try {
        fsyncSync(fd);
      } finally {
        closeSync(fd);
      }
      renameSync(tmp, abs);
      try {
        const d = openSync(dir, 'r');
        fsyncSync(d);
        closeSync(d);
      } catch {
        // a directory fsync is best effort (not every file system allows it)
      }
      return statSync(abs).size;
    },
    discard() {
      rmSync(tmp, { force: true });
      for (const suffix of ['-journal', '-wal', '-shm']) rmSync(tmp + suffix, { force: true });
    },
  };
}
