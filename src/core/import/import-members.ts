import { createHash } from 'node:crypto';
import type { EntityManager } from '@mikro-orm/sql';
import { UniqueConstraintViolationException } from '@mikro-orm/core';
import { Member, Society, type MemberRow } from '../db/entities/index.js';
import type { CoreContext } from '../context.js';
import type { Actor } from '../actor.js';
import { isKosmoError } from '../errors.js';
import { recordAudit } from '../audit/record-audit.js';
import { insertIssuedMember } from '../accounts/insert-issued-member.js';
import { generateProvisionalPassword } from '../accounts/provisional-credentials.js';
import type { ValidMemberInput } from '../accounts/member-input.js';
import { parseMemberCsv, type BadRow, type ParsedRow } from './parse-member-csv.js';
import type { CsvEncoding } from './decode-csv.js';
import { HashPool } from './hash-pool.js';
import { openJournals, type ImportJournal } from './import-journal.js';
import { findIssued } from './find-issued.js';
import { assignUserIds, freshUserId } from './assign-user-ids.js';

export interface ImportProgress {
  /** Members to issue in this run (rows not issued before). */
  total: number;
  hashed: number;
  written: number;
}

/** One member's provisional credentials, on their way to the print-shop CSV, the letters or mail. */
export interface IssuedCredential extends ValidMemberInput {
  line: number;
  userId: string;
  password: string;
  expiresAt: Date;
  /** Written by an earlier, interrupted run of the import; recovered from its journal. */
  resumed: boolean;
}

export interface SkippedRow {
  line: number;
  userId: string;
  reason: 'already_issued';
}

export interface ImportOptions {
  bytes: Uint8Array;
  /** For the audit event only. */
  fileName: string;
  /** Any bad row aborts before anything is written. */
  strict?: boolean;
  /** Members per database transaction (default 200). */
  batchSize?: number;
  /** Hashing threads (default: one per core). */
  workers?: number;
  /** Where the write-ahead journal lives: `<dataDir>/imports`. */
  journalDir: string;
  onProgress?(p: ImportProgress): void;
}

interface Common {
  encoding: CsvEncoding;
  /** Data rows read (good and bad). */
  rows: number;
  bad: BadRow[];
}

export type ImportOutcome =
  | (Common & { status: 'aborted' })
  | (Common & {
      status: 'done';
      jobId: string;
      issued: number;
      resumed: number;
      skipped: SkippedRow[];
      /** Issued and resumed members in file order: everything the outputs must carry. */
      credentials: IssuedCredential[];
      journalPath: string;
      /** Credentials still waiting in journals of other interrupted imports of this society. */
      waitingElsewhere: number;
      /** Call once the outputs are safely written: audits the run and deletes the journal. */
      complete(outputs: string[]): Promise<void>;
    });

interface Pending {
  row: ParsedRow;
  userId: string;
  password: string;
  hash?: string;
}

/**
 * Bulk issuance (SCREENS.md §3, docs/import.md). Rows are validated first; rows whose member was
 * already issued are skipped (or, when an interrupted run of this import wrote them, their
 * credentials are recovered from its journal); the rest get a provisional user ID and password,
 * hashed on all cores while finished hashes are written in batches, one transaction per batch,
 * each batch journaled (sealed) before it commits.
 */
export async function importMembers(core: CoreContext, actor: Actor, societyId: number, opts: ImportOptions): Promise<ImportOutcome> {
  const parsed = parseMemberCsv(opts.bytes, core.clock.now());
  const common: Common = { encoding: parsed.encoding, rows: parsed.rows.length + parsed.bad.length, bad: parsed.bad };
  if (opts.strict && parsed.bad.length > 0) return { ...common, status: 'aborted' };

  const society = await core.db.em().findOneOrFail(Society, { id: societyId });
  const jobId = `${society.code}-${createHash('sha256').update(opts.bytes).digest('hex').slice(0, 16)}`;
  const journals = openJournals(opts.journalDir, society.code, jobId, core.secretBox);
  const all = [journals.own, ...journals.others];

  const issuedBefore = await findIssued(core.db.em(), societyId, parsed.rows);
  const credentials: IssuedCredential[] = [];
  const skipped: SkippedRow[] = [];
  const toIssue: ParsedRow[] = [];
  for (const row of parsed.rows) {
    const m = issuedBefore.get(row.key);
    if (!m) {
      toIssue.push(row);
      continue;
    }
    const password = untouchedSinceIssue(m) ? recover(all, row.key, m.userId) : null;
    if (password) credentials.push(credentialOf(row, m, password, true));
    else skipped.push({ line: row.line, userId: m.userId, reason: 'already_issued' });
  }
  const resumed = credentials.length;

  if (toIssue.length > 0) {
    const fresh = await issueAll(core, actor, society.id, society.settings.provisionalExpiryDays, toIssue, journals.own, opts);
    credentials.push(...fresh.issued);
    skipped.push(...fresh.skipped);
  }
  credentials.sort((a, b) => a.line - b.line);
  skipped.sort((a, b) => a.line - b.line);
  const delivered = new Set(credentials.map((c) => c.key));

  return {
    ...common,
    status: 'done',
    jobId,
    issued: credentials.length - resumed,
    resumed,
    skipped,
    credentials: credentials.map(({ key: _key, ...c }) => c) as IssuedCredential[],
    journalPath: journals.own.path,
    waitingElsewhere: journals.others.reduce((n, j) => n + j.countExcept(delivered), 0),
    async complete(outputs) {
      await core.db.em().transactional(async (em) => {
        recordAudit(em, core.clock, {
          societyId,
          actor,
          action: 'member.import',
          details: { file: opts.fileName, jobId, encoding: parsed.encoding, rows: common.rows, issued: credentials.length - resumed, resumed, skipped: skipped.length, bad: parsed.bad.length, outputs },
        });
      });
      journals.own.remove();
      for (const j of journals.others) j.forget(delivered);
    },
  };
}

type Keyed = IssuedCredential & { key: string };

function credentialOf(row: ParsedRow, m: MemberRow, password: string, resumed: boolean): Keyed {
  return { ...row.input, key: row.key, line: row.line, userId: m.userId, password, expiresAt: m.provisionalExpiresAt ?? m.issuedAt, resumed };
}

/** A journaled password is only worth printing while the member has not started using the account. */
function untouchedSinceIssue(m: MemberRow): boolean {
  return m.status === 'provisional' && m.onboardingStep === 'birth_date' && !m.firstLoginAt;
}

function recover(journals: ImportJournal[], key: string, userId: string): string | null {
  for (const j of journals) {
    const p = j.recover(key, userId);
    if (p) return p;
  }
  return null;
}

async function issueAll(
  core: CoreContext,
  actor: Actor,
  societyId: number,
  expiryDays: number,
  rows: ParsedRow[],
  journal: ImportJournal,
  opts: ImportOptions,
): Promise<{ issued: Keyed[]; skipped: SkippedRow[] }> {
  const userIds = await assignUserIds(core, societyId, rows.length);
  const pending: Pending[] = rows.map((row, i) => ({ row, userId: userIds[i]!, password: generateProvisionalPassword(core.random) }));
  const batchSize = Math.max(1, opts.batchSize ?? 200);
  const progress: ImportProgress = { total: rows.length, hashed: 0, written: 0 };
  const issued: Keyed[] = [];
  const skipped: SkippedRow[] = [];

  const writeBatch = async (batch: Pending[]) => {
    // Write-ahead: the sealed passwords are on disk before the members exist in the database.
    journal.append(batch.map((p) => ({ key: p.row.key, userId: p.userId, password: p.password })));
    try {
      const members = await core.db.em().transactional(async (em) => {
        const out: MemberRow[] = [];
        for (const p of batch) out.push(await insert(em, p));
        return out;
      });
      batch.forEach((p, i) => issued.push(credentialOf(p.row, members[i]!, p.password, false)));
    } catch (e) {
      if (!isConflict(e)) throw e;
      // Someone issued one of these members meanwhile (or a user ID clashed): go row by row.
      for (const p of batch) await writeOne(p);
    }
    progress.written += batch.length;
    opts.onProgress?.({ ...progress });
  };

  const insert = (em: EntityManager, p: Pending) =>
    insertIssuedMember(em, core.clock, actor, societyId, p.row.input, { userId: p.userId, password: p.password, hash: p.hash! }, expiryDays);

  const writeOne = async (p: Pending) => {
    for (let attempt = 0; ; attempt++) {
      try {
        const m = await core.db.em().transactional((em) => insert(em, p));
        issued.push(credentialOf(p.row, m, p.password, false));
        return;
      } catch (e) {
        if (isKosmoError(e, 'MEMBER_EXISTS')) {
          const m = (await findIssued(core.db.em(), societyId, [p.row])).get(p.row.key);
          skipped.push({ line: p.row.line, userId: m?.userId ?? '', reason: 'already_issued' });
          return;
        }
        if (!(e instanceof UniqueConstraintViolationException) || attempt >= 3) throw e;
        p.userId = await freshUserId(core, societyId);
        journal.append([{ key: p.row.key, userId: p.userId, password: p.password }]);
      }
    }
  };

  const pool = new HashPool(opts.workers);
  let writes: Promise<void> = Promise.resolve();
  let writeError: unknown = null;
  let buffer: Pending[] = [];
  const flush = () => {
    const batch = buffer;
    buffer = [];
    writes = writes.then(() => (writeError ? undefined : writeBatch(batch))).catch((e) => {
      writeError ??= e;
      void pool.close();
    });
  };
  try {
    await Promise.all(
      pending.map(async (p) => {
        p.hash = await pool.hash(p.password);
        progress.hashed++;
        opts.onProgress?.({ ...progress });
        buffer.push(p);
        if (buffer.length >= batchSize) flush();
      }),
    ).catch((e) => {
      if (!writeError) throw e;
    });
    if (buffer.length) flush();
    await writes;
    if (writeError) throw writeError;
  } finally {
    await pool.close();
  }
  return { issued, skipped };
}

function isConflict(e: unknown): boolean {
  return isKosmoError(e, 'MEMBER_EXISTS') || e instanceof UniqueConstraintViolationException;
}
