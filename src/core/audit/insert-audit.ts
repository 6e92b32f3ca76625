import type { CoreContext } from '../context.js';
import type { StoreQueries } from '../db/store/store.js';
import { actorIp, actorLabel } from '../actor.js';
import type { AuditInput } from './record-audit.js';
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
        await insertAudit(tx, core, input);
        notices.push({ societyId: input.societyId, action: input.action, outcome: input.outcome ?? 'success', actorType: actorType(input) });
      },
    }),
  );
  publishAudit(core, notices);
  return result;
}

function actorType(input: AuditInput) {
  return input.actor.type === 'anonymous' ? 'member' : input.actor.type;
}

async function insertAudit(tx: StoreQueries, core: CoreContext, input: AuditInput): Promise<void> {
  await tx.run(
    `INSERT INTO audit_event (society_id, at, actor_type, actor, member_id, member_user_id, action, outcome, ip, details)
     VALUES (:society, ${tx.sql.ts(':at')}, :actorType, :actor, :memberId, :memberUserId, :action, :outcome, :ip, :details)`,
    {
      society: input.societyId,
      at: core.clock.now(),
      actorType: actorType(input),
      actor: actorLabel(input.actor),
      memberId: input.member?.id ?? null,
      memberUserId: input.member?.userId ?? null,
      action: input.action,
      outcome: input.outcome ?? 'success',
      ip: actorIp(input.actor),
      details: input.details ? JSON.stringify(input.details) : null,
    },
  );
}
