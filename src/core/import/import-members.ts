import { createHash } from 'node:crypto';
import { MailMessage, Society, type MemberRow } from '../db/entities/index.js';
import type { CoreContext } from '../context.js';
import type { Actor } from '../actor.js';
import { recordAudit } from '../audit/record-audit.js';
import { parseMemberCsv, type BadRow, type ParsedRow } from './parse-member-csv.js';
import type { CsvEncoding } from './decode-csv.js';
import { openJournals, type ImportJournal } from './import-journal.js';
import { findIssued } from './find-issued.js';
import { issueAll, queueCredentialsMail } from './issue-rows.js';
import { CREDENTIALS_MAIL, credentialOf, type ImportOptions, type IssuedCredential, type Keyed, type SkippedRow } from './import-types.js';

export type { ImportOptions, ImportProgress, IssuedCredential, SkippedRow } from './import-types.js';

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
      /** Mails queued in this run ('provisional-credentials'). */
      mailed: number;
      /** Credentials still waiting in journals of other interrupted imports of this society. */
      waitingElsewhere: number;
      /** Call once the outputs are safely written: audits the run and deletes the journal. */
      complete(outputs: string[]): Promise<void>;
    });

/** One import job per society and file content: rerunning the same file resumes the same job. */
export function importJobId(societyCode: string, bytes: Uint8Array): string {
  return `${societyCode}-${createHash('sha256').update(bytes).digest('hex').slice(0, 16)}`;
}

/**
 * Bulk issuance (SCREENS.md §3, docs/import.md). Rows are validated first; rows whose member was
 * already issued are skipped (or, when an interrupted run of this import wrote them, their
 * credentials are recovered from its journal); the rest get a provisional user ID and password,
 * hashed on all cores while finished hashes are written in batches, one transaction per batch,
 * each batch journaled (sealed) before it commits.
 */
export async function importMembers(core: CoreContext, actor: Actor, opts: ImportOptions): Promise<ImportOutcome> {
  const { societyId } = opts;
  const parsed = parseMemberCsv(opts.bytes, core.clock.now());
  const common: Common = { encoding: parsed.encoding, rows: parsed.rows.length + parsed.bad.length, bad: parsed.bad };
  if (opts.strict && parsed.bad.length > 0) return { ...common, status: 'aborted' };

  const society = await core.db.em().findOneOrFail(Society, { id: societyId });
  const jobId = importJobId(society.code, opts.bytes);
  const journals = openJournals(opts.journalDir, society.code, jobId, core.secretBox);
  const all = [journals.own, ...journals.others];

  const issuedBefore = await findIssued(core.db.em(), societyId, parsed.rows);
  const credentials: Keyed[] = [];
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
  let mailed = 0;
  if (opts.mail && resumed > 0) mailed += await mailResumed(core, credentials, issuedBefore, opts.mail.portalUrl);

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
    credentials: credentials.map(({ key: _key, ...c }) => c),
    journalPath: journals.own.path,
    mailed: mailed + credentials.filter((c) => !c.resumed && c.email && opts.mail).length,
    waitingElsewhere: journals.others.reduce((n, j) => n + j.countExcept(delivered), 0),
    async complete(outputs) {
      await core.db.em().transactional(async (em) => {
        recordAudit(em, core.clock, {
          societyId,
          actor,
          action: 'member.import',
          details: {
            file: opts.fileName,
            jobId,
            encoding: parsed.encoding,
            rows: common.rows,
            issued: credentials.length - resumed,
            resumed,
            skipped: skipped.length,
            bad: parsed.bad.length,
            outputs,
          },
        });
      });
      journals.own.remove();
      for (const j of journals.others) j.forget(delivered);
    },
  };
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

/** Members written by an interrupted run without --mail get their mail now; never a second one. */
async function mailResumed(core: CoreContext, creds: Keyed[], members: Map<string, MemberRow>, portalUrl: string): Promise<number> {
  let n = 0;
  await core.db.em().transactional(async (em) => {
    for (const c of creds) {
      const m = members.get(c.key);
      if (!m?.email) continue;
      if ((await em.count(MailMessage, { memberId: m.id, kind: CREDENTIALS_MAIL })) > 0) continue;
      await queueCredentialsMail(em, core, m, c.password, portalUrl);
      n++;
    }
  });
  return n;
}
