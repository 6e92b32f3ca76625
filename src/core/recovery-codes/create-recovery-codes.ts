import type { CoreContext } from '../context.js';
import type { ActingMember } from '../actor.js';
import { KosmoError } from '../errors.js';
import { Member } from '../db/entities/index.js';
import { auditedTransaction } from '../audit/insert-audit.js';
import { memberActor } from '../auth/member-actor.js';
import { countFactors } from '../auth/login-step.js';
import { notifyMember } from '../mail/notify-member.js';
import { newRecoveryCode, normalizeRecoveryCode, RECOVERY_CODE_COUNT, recoveryCodeHash } from './recovery-code-format.js';

export interface NewRecoveryCodes {
  /** The plain codes: shown once to the member, never stored or logged. */
  codes: string[];
  createdAt: Date;
}

/**
 * リカバリーコードの作成 (issue 13): a new set of 10 single-use codes replaces the old one, in one
 * transaction with its audit event; the member is mailed that a set was made (ASVS 6.3.7). Only
 * for a member who has a second factor: the codes stand in for it, they are not one of their own.
 * The portal asks for a recent (re-)authentication first (§2.9).
 */
export async function createRecoveryCodes(core: CoreContext, acting: ActingMember): Promise<NewRecoveryCodes> {
  const { societyId, memberId, ip } = acting;
  const em = core.db.em();
  const member = await em.findOneOrFail(Member, { id: memberId, society: societyId });
  const factors = await countFactors(em, memberId);
  if (factors.otp + factors.passkey === 0) throw new KosmoError('RECOVERY_CODES_NEED_FACTOR');
  const codes = Array.from({ length: RECOVERY_CODE_COUNT }, () => newRecoveryCode(core.random));
  const now = core.clock.now();
  await auditedTransaction(core, async (tx) => {
    await tx.run(`DELETE FROM recovery_code WHERE member_id = :member AND society_id = :society`, { member: memberId, society: societyId });
    for (const code of codes) {
      await tx.run(`INSERT INTO recovery_code (society_id, member_id, code_hash, created_at, used_at) VALUES (:society, :member, :hash, ${tx.sql.ts(':now')}, NULL)`, {
        society: societyId,
        member: memberId,
        hash: recoveryCodeHash(memberId, normalizeRecoveryCode(code)!),
        now,
      });
    }
    await tx.audit({ societyId, actor: memberActor(member, ip), action: 'recovery_codes.create', member, details: { count: codes.length } });
  });
  await em.fork().transactional(async (tem) => {
    const row = await tem.findOneOrFail(Member, { id: memberId });
    await notifyMember(tem, core, row, 'recovery-codes-created', { count: String(codes.length) });
  });
  return { codes, createdAt: now };
}
