import { Member, TotpDevice } from '../db/entities/index.js';
import type { ActingMember } from '../actor.js';
import type { CoreContext } from '../context.js';
import { KosmoError } from '../errors.js';
import { memberActor } from '../auth/member-actor.js';
import { guardedAttempt } from '../auth/guarded-attempt.js';
import { memberSubject } from '../auth/throttle-store.js';
import { verifyTotpCode } from '../credentials/totp/index.js';
import { totpSealContext } from './totp-seal-context.js';
import { attemptClientFor } from '../auth/attempt-client.js';

/**
 * ワンタイムパスワードの入力 (§2.6): checks a code for the chosen device (the only one, or the one
 * picked when there are several). A guarded attempt (guarded-attempt.ts): reserved before the
 * check; wrong, replayed or malformed codes count towards the lockout and answer
 * `ワンタイムパスワードが正しくありません`; a failure that locks ends the login.
 * The time step is consumed by compare-and-set (`… WHERE last_used_step < :step`), so one code
 * logs in exactly once however many requests carry it, on however many processes (RFC 6238 §5.2).
 * `purpose: 'reauth'` (§2.9) audits as `reauth.otp` instead of `login.otp`.
 */
export async function verifyTotpLogin(
  core: CoreContext,
  acting: ActingMember,
  input: { deviceId?: unknown; code: unknown },
  options: { purpose?: 'login' | 'reauth'; device?: string | null } = {},
): Promise<void> {
  const { societyId, memberId, ip } = acting;
  const action = `${options.purpose ?? 'login'}.otp`;
  const em = core.db.em();
  const member = await em.findOneOrFail(Member, { id: memberId, society: societyId });
  const devices = await em.find(TotpDevice, { member: memberId }, { orderBy: { id: 'asc' } });
  const wanted = Number(input.deviceId);
  const device = devices.length === 1 ? devices[0] : devices.find((d) => d.id === wanted);
  if (!device) throw new KosmoError('OTP_INVALID', { reason: 'no_device' });
  const actor = memberActor(member, ip);
  let step = -1;
  const subject = memberSubject(memberId);
  // Smart lockout (issue 13): this client's own counter; a known device passes others' back-off.
  const client = await attemptClientFor(core, member, subject, { ip, device: options.device ?? null });
  await guardedAttempt<void>(
    core,
    { societyId, subject, client, action, actor, member, failureCode: 'OTP_INVALID' },
    async () => {
      const secret = core.secretBox.open(device.secretEnc, totpSealContext(societyId, memberId));
      const result = verifyTotpCode({ secret, code: typeof input.code === 'string' ? input.code : '', now: core.clock.now(), lastUsedStep: device.lastUsedStep ?? null });
      if (!result.ok) return { ok: false, reason: result.reason };
      step = result.step;
      return { ok: true };
    },
    async (tx) => {
      const consumed = await tx.run(
        `UPDATE totp_device SET last_used_step = :step, last_used_at = ${tx.sql.ts(':now')}
         WHERE id = :id AND member_id = :member AND (last_used_step IS NULL OR last_used_step < :step)`,
        { step, now: core.clock.now(), id: device.id, member: memberId },
      );
      // Another request used this step (or a later one) meanwhile: a replay.
      if (consumed !== 1) return { ok: false, reason: 'replay' };
      await tx.audit({ societyId, actor, action, member, details: { device: device.name } });
      return { ok: true };
    },
  );
}
