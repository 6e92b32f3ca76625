import type { MemberRow } from '../db/entities/index.js';
import type { ValidMemberInput } from '../accounts/member-input.js';
import type { ParsedRow } from './parse-member-csv.js';

/** The `kind` of the mail that carries provisional credentials. */
export const CREDENTIALS_MAIL = 'provisional-credentials';

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
  societyId: number;
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
  /** Queue a 'provisional-credentials' mail to each member with an address, in the member's transaction. */
  mail?: { portalUrl: string };
  onProgress?(p: ImportProgress): void;
}

export type Keyed = IssuedCredential & { key: string };

export function credentialOf(row: ParsedRow, m: MemberRow, password: string, resumed: boolean): Keyed {
  return { ...row.input, key: row.key, line: row.line, userId: m.userId, password, expiresAt: m.provisionalExpiresAt ?? m.issuedAt, resumed };
}
