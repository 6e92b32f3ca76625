import type { EntityManager } from '@mikro-orm/sql';
import { UniqueConstraintViolationException } from '@mikro-orm/core';
import type { MemberRow } from '../db/entities/index.js';
import type { CoreContext } from '../context.js';
import type { Actor } from '../actor.js';
import { isKosmoError } from '../errors.js';
import { insertIssuedMember } from '../accounts/insert-issued-member.js';
import { generateProvisionalPassword } from '../accounts/provisional-credentials.js';
import { queueProvisionalCredentialsMail } from '../accounts/mail-provisional-credentials.js';
import type { ParsedRow } from './parse-member-csv.js';
import { HashPool } from './hash-pool.js';
import type { ImportJournal } from './import-journal.js';
import { findIssued } from './find-issued.js';
import { assignUserIds, freshUserId } from './assign-user-ids.js';
import { credentialOf, type ImportOptions, type ImportProgress, type Keyed, type SkippedRow } from './import-types.js';

interface Pending {
  row: ParsedRow;
  userId: string;
  password: string;
  hash?: string;
}

/**
 * Issues the rows not issued before: passwords hashed on all cores (HashPool) while finished ones
 * are written in batches of `batchSize`, one transaction per batch, each batch journaled (sealed
 * passwords, fsync'd) before it commits. Database writes never wait for hashing to finish.
 */
export async function issueAll(
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

  const insert = async (em: EntityManager, p: Pending) => {
    const m = await insertIssuedMember(em, core.clock, actor, societyId, p.row.input, { userId: p.userId, password: p.password, hash: p.hash! }, expiryDays);
    if (opts.mail) await queueCredentialsMail(em, core, m, p.password, opts.mail.portalUrl);
    // Keep the unit of work small: every flush diffs all managed entities, so a batch of 200 in
    // one identity map costs ~4 ms of main-thread CPU per member instead of ~1 ms (CPU the hashing
    // threads need). Written rows stay in the transaction; the returned row is only read.
    await em.flush();
    em.clear();
    return m;
  };

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
  let failure: unknown = null;
  const fail = (e: unknown) => {
    failure ??= e;
    void pool.close();
  };
  let buffer: Pending[] = [];
  const flush = () => {
    const batch = buffer;
    buffer = [];
    writes = writes.then(() => (failure ? undefined : writeBatch(batch))).catch(fail);
  };
  try {
    await Promise.all(
      pending.map(async (p) => {
        p.hash = await pool.hash(p.password);
        if (failure) return;
        progress.hashed++;
        opts.onProgress?.({ ...progress });
        buffer.push(p);
        if (buffer.length >= batchSize) flush();
      }),
    ).catch(fail);
    if (buffer.length && !failure) flush();
    // Never return (or throw) while a batch is still being written.
    await writes;
    if (failure) throw failure;
  } finally {
    await pool.close();
  }
  return { issued, skipped };
}

/** The mail carries the password; it is queued in the transaction that creates the member. */
export async function queueCredentialsMail(em: EntityManager, core: CoreContext, m: MemberRow, password: string, portalUrl: string): Promise<void> {
  if (!m.email) return;
  await queueProvisionalCredentialsMail(em, core, m, password, portalUrl);
}

function isConflict(e: unknown): boolean {
  return isKosmoError(e, 'MEMBER_EXISTS') || e instanceof UniqueConstraintViolationException;
}
