import type { CoreContext } from '../context.js';
import type { ActingMember } from '../actor.js';
import { Member } from '../db/entities/index.js';
import { memberActor } from '../auth/member-actor.js';
import { guardedAttempt } from '../auth/guarded-attempt.js';
import { memberSubject } from '../auth/throttle-store.js';
import { attemptClientFor } from '../auth/attempt-client.js';
import { notifyMember } from '../mail/notify-member.js';
import { normalizeRecoveryCode, recoveryCodeHash } from './recovery-code-format.js';

/**
 * A recovery code in place of the second factor at login (issue 13). A guarded attempt like every
 * other secret (guarded-attempt.ts): reserved first, a wrong code counts towards the lockout. The
 * code is used up by ONE conditional statement — `UPDATE … SET used_at WHERE code_hash = … AND
 * used_at IS NULL` — so of any number of requests carrying the same code, on any number of
 * processes, exactly one succeeds; the others count as wrong. Audited, and mailed (ASVS 6.3.7).
 * Returns how many codes are left.
 */
export async function verifyRecoveryCodeLogin(core: CoreContext, acting: ActingMember, input: unknown, browser: { device?: string | null } = {}): Promise<{ remaining: number }> {
  const { societyId, memberId, ip } = acting;
  const em = core.db.em();
  const member = await em.findOneOrFail(Member, { id: memberId, society: societyId });
  const actor = memberActor(member, ip);
  const subject = memberSubject(memberId);
  const attemptClient = await attemptClientFor(core, member, subject, { ip, device: browser.device });
  const code = normalizeRecoveryCode(input);
  const remaining = await guardedAttempt<number>(
    core,
    { societyId, subject, client: attemptClient, action: 'login.recovery_code', actor, member, failureCode: 'RECOVERY_CODE_INVALID' },
    async () => (code ? { ok: true } : { ok: false, reason: 'malformed' }),
    async (tx) => {
      const used = await tx.run(`UPDATE recovery_code SET used_at = ${tx.sql.ts(':now')} WHERE member_id = :member AND society_id = :society AND code_hash = :hash AND used_at IS NULL`, {
        now: core.clock.now(),
        member: memberId,
        society: societyId,
        hash: recoveryCodeHash(memberId, code!),
      });
      // Unknown, or used already (by an earlier login or by a request racing this one).
      if (used !== 1) return { ok: false, reason: 'unknown_or_used' };
      const left = await tx.all(`SELECT COUNT(*) AS n FROM recovery_code WHERE member_id = :member AND used_at IS NULL`, { member: memberId });
      const n = Number(left[0]?.n ?? 0);
      await tx.audit({ societyId, actor, action: 'login.recovery_code', member, details: { remaining: n } });
      return { ok: true, value: n };
    },
  );
  await em.fork().transactional(async (tem) => {
    const row = await tem.findOneOrFail(Member, { id: memberId });
    await notifyMember(tem, core, row, 'recovery-code-used', { remaining: String(remaining) });
  });
  return { remaining };
}
