import { closeSync, existsSync, fsyncSync, mkdirSync, openSync, readdirSync, readFileSync, renameSync, unlinkSync, writeSync } from 'node:fs';
import { join } from 'node:path';
import type { SecretBox } from '../crypto/secret-box.js';

export interface JournalEntry {
  key: string;
  userId: string;
  password: string;
}

/**
 * The write-ahead journal that lets an interrupted import deliver the credentials of the members
 * it had already written (docs/import.md). Plain passwords are never stored: each line holds the
 * row's key, the user ID and the password sealed with the data directory's AES-256-GCM key
 * (`core.secretBox`, bound to the job and user ID). A batch is appended and fsync'd *before* its
 * database transaction commits, so every committed member has its password in the journal. The
 * file (mode 0600) is deleted once the outputs are written.
 */
export class ImportJournal {
  readonly path: string;
  private readonly entries = new Map<string, { userId: string; sealed: string }>();

  constructor(
    dir: string,
    readonly jobId: string,
    private readonly box: SecretBox,
  ) {
    this.path = join(dir, `${jobId}.journal`);
    if (existsSync(this.path)) {
      for (const line of readFileSync(this.path, 'utf8').split('\n')) {
        if (!line.trim()) continue;
        try {
          const e = JSON.parse(line) as { key?: string; userId?: string; sealed?: string };
          // A torn last line (the process killed mid-write) is simply not there.
          if (e.key && e.userId && e.sealed) this.entries.set(e.key, { userId: e.userId, sealed: e.sealed });
        } catch {
          // ignore
        }
      }
    }
  }

  get existed(): boolean {
    return this.entries.size > 0;
  }

  private context(userId: string): string {
    return `kosmo-import:${this.jobId}:${userId}`;
  }

  /** The password journaled for this row, if it was journaled with this user ID. */
  recover(key: string, userId: string): string | null {
    const e = this.entries.get(key);
    if (!e || e.userId !== userId) return null;
    try {
      return this.box.open(e.sealed, this.context(userId));
    } catch {
      return null;
    }
  }

  append(entries: JournalEntry[]): void {
    if (entries.length === 0) return;
    mkdirSync(join(this.path, '..'), { recursive: true, mode: 0o700 });
    const lines = entries
      .map((e) => {
        const sealed = this.box.seal(e.password, this.context(e.userId));
        this.entries.set(e.key, { userId: e.userId, sealed });
        return JSON.stringify({ key: e.key, userId: e.userId, sealed }) + '\n';
      })
      .join('');
    const fd = openSync(this.path, 'a', 0o600);
    try {
      writeSync(fd, lines);
      fsyncSync(fd);
    } finally {
      closeSync(fd);
    }
  }

  /** Entries other than these keys: credentials still waiting for their run to be finished. */
  countExcept(keys: Set<string>): number {
    let n = 0;
    for (const k of this.entries.keys()) if (!keys.has(k)) n++;
    return n;
  }

  remove(): void {
    if (existsSync(this.path)) unlinkSync(this.path);
    this.entries.clear();
  }

  /** Drops the entries whose credentials were delivered; deletes the file when none is left. */
  forget(keys: Iterable<string>): void {
    let changed = false;
    for (const k of keys) changed = this.entries.delete(k) || changed;
    if (!changed) return;
    if (this.entries.size === 0) return this.remove();
    const tmp = `${this.path}.tmp`;
    const fd = openSync(tmp, 'w', 0o600);
    try {
      writeSync(fd, [...this.entries].map(([key, e]) => JSON.stringify({ key, userId: e.userId, sealed: e.sealed }) + '\n').join(''));
      fsyncSync(fd);
    } finally {
      closeSync(fd);
    }
    renameSync(tmp, this.path);
  }
}

/**
 * This import's journal plus those other interrupted imports of the society left behind (say the
 * file was corrected before the rerun): their credentials are recovered too when the rows match.
 */
export function openJournals(dir: string, societyCode: string, jobId: string, box: SecretBox): { own: ImportJournal; others: ImportJournal[] } {
  const own = new ImportJournal(dir, jobId, box);
  const others = existsSync(dir)
    ? readdirSync(dir)
        .filter((f) => f.startsWith(`${societyCode}-`) && f.endsWith('.journal') && f !== `${jobId}.journal`)
        .map((f) => new ImportJournal(dir, f.slice(0, -'.journal'.length), box))
    : [];
  return { own, others };
}
