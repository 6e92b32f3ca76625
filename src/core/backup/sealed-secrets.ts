import { createSecretBox } from '../crypto/secret-box.js';
import { totpSealContext } from '../factors/totp-seal-context.js';

/** A sealed TOTP seed as stored: the ciphertext and the ids its context is made of. */
export interface SealedRow {
  societyId: number;
  memberId: number;
  secretEnc: string;
  /** The AAD it was sealed with, when not a TOTP seed's (single sign-on keys and client secrets). */
  context?: string;
}

export interface KeyCheck {
  /** Sealed secrets found; 0 means the key could not be checked. */
  count: number;
  /** How many of them the key does not open (AES-256-GCM authentication fails). */
  failed: number;
}

/**
 * Whether `key` opens the sealed secrets of a database (TOTP seeds, AES-256-GCM with the row's
 * context as AAD): a wrong key fails authentication on every one. A database without any sealed
 * secret cannot tell a wrong key from the right one.
 */
export function checkSealedSecrets(rows: readonly SealedRow[], key: Buffer): KeyCheck {
  const box = createSecretBox(key);
  let failed = 0;
  for (const r of rows) {
    try {
      box.open(r.secretEnc, r.context ?? totpSealContext(r.societyId, r.memberId));
    } catch {
      failed += 1;
    }
  }
  return { count: rows.length, failed };
}

/** The sealed rows of an SQLite KOSMO database (read without the ORM, so from any file). */
export const SQLITE_SEALED_QUERY = 'select m.society_id as societyId, d.member_id as memberId, d.secret_enc as secretEnc from totp_device d join member m on m.id = d.member_id';

/**
 * The single sign-on's sealed keys and client secrets (issue 14; docs/sso.md), with the contexts
 * core/oidc seals them with. Only in databases migrated since then: check the table exists first.
 */
export const SQLITE_OIDC_SEALED_QUERY =
  "select society_id as societyId, 0 as memberId, private_sealed as secretEnc, 'kosmo:oidc-key:' || society_id || ':' || kid as context from oidc_key union all select society_id, 0, secret_sealed, 'kosmo:oidc-client-secret:' || client_id from oidc_client where secret_sealed is not null";

/**
 * The sealed rows in a pg_dump archive, from `pg_restore --data-only -f -` output of the member
 * and totp_device tables (COPY text format: tab-separated, `\N` for null).
 */
export function sealedRowsFromCopy(sql: string): SealedRow[] {
  const tables = new Map<string, Record<string, string | null>[]>();
  const lines = sql.split('\n');
  for (let i = 0; i < lines.length; i++) {
    const head = /^COPY (?:[\w"]+\.)?"?(\w+)"? \(([^)]*)\) FROM stdin;$/.exec(lines[i]!);
    if (!head) continue;
    const columns = head[2]!.split(',').map((c) => c.trim().replace(/^"|"$/g, ''));
    const rows: Record<string, string | null>[] = [];
    for (i += 1; i < lines.length && lines[i] !== '\\.'; i++) {
      const fields = lines[i]!.split('\t');
      rows.push(Object.fromEntries(columns.map((c, k) => [c, fields[k] === '\\N' ? null : (fields[k] ?? null)])));
    }
    tables.set(head[1]!, rows);
  }
  const societyOf = new Map((tables.get('member') ?? []).map((m) => [Number(m.id), Number(m.society_id)]));
  const totp = (tables.get('totp_device') ?? []).map((d) => ({ societyId: societyOf.get(Number(d.member_id)) ?? -1, memberId: Number(d.member_id), secretEnc: d.secret_enc ?? '' }));
  const keys = (tables.get('oidc_key') ?? []).map((k) => ({ societyId: Number(k.society_id), memberId: 0, secretEnc: k.private_sealed ?? '', context: `kosmo:oidc-key:${k.society_id}:${k.kid}` }));
  const secrets = (tables.get('oidc_client') ?? [])
    .filter((c) => c.secret_sealed)
    .map((c) => ({ societyId: Number(c.society_id), memberId: 0, secretEnc: c.secret_sealed!, context: `kosmo:oidc-client-secret:${c.client_id}` }));
  return [...totp, ...keys, ...secrets];
}
