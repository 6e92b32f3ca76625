import type { CoreContext } from '../context.js';
import type { StoreQueries } from '../db/store/store.js';
import { auditRow, type AuditInput } from './record-audit.js';
import { publishAudit, type AuditNotice } from './observe-audit.js';

/** A store transaction that can also write audit events (`recordAudit`'s rows, as statements). */
export interface AuditingTx extends StoreQueries {
  audit(input: AuditInput): Promise<void>;
}

/**
 * Runs `work` in one store transaction whose audit events commit (or roll back) with the
 * statements they describe — a reserved attempt's outcome, a consumed code — and reaches the audit
 * observers only after the commit, like events written through the ORM.
 */
export async function auditedTransaction<T>(core: CoreContext, work: (tx: AuditingTx) => Promise<T>): Promise<T> {
  const notices: AuditNotice[] = [];
  const result = await core.db.store.transaction((tx) =>
    work({
      sql: tx.sql,
      all: tx.all,
      run: tx.run,
      audit: async (input) => {
        const row = auditRow(input, core.clock.now());
        await tx.run(
          `INSERT INTO audit_event (society_id, at, actor_type, actor, member_id, member_user_id, action, outcome, ip, details)
           VALUES (:societyId, ${tx.sql.ts(':at')}, :actorType, :actor, :memberId, :memberUserId, :action, :outcome, :ip, :details)`,
          { ...row, details: row.details ? JSON.stringify(row.details) : null },
        );
        notices.push({ societyId: row.societyId, action: row.action, outcome: row.outcome, actorType: row.actorType });
      },
    }),
  );
  publishAudit(core, notices);
  return result;
}
