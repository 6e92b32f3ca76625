import { Member, TotpDevice } from '../db/entities/index.js';
import type { CoreContext } from '../context.js';
import { KosmoError } from '../errors.js';
import { recordAudit } from '../audit/record-audit.js';
import { memberActor } from '../auth/member-actor.js';
import { recordAuthFailure } from '../auth/authenticate-password.js';
import { clearFailures } from '../auth/lockout.js';
import { verifyTotpCode } from '../credentials/totp/index.js';
import { totpSealContext } from './totp-seal-context.js';

/**
 * ワンタイムパスワードの入力 (§2.6): checks a code for the chosen device (the only one, or the one
 * picked when there are several). Wrong, replayed or malformed codes count towards the lockout and
 * answer `ワンタイムパスワードが正しくありません`; a failure that locks ends the login.
 * `purpose: 'reauth'` (§2.9) audits as `reauth.otp` instead of `login.otp`.
 */
export async function verifyTotpLogin(
  core: CoreContext,
  societyId: number,
  memberId: number,
  input: { deviceId?: unknown; code: unknown },
  ip: string | null,
  options: { purpose?: 'login' | 'reauth' } = {},
): Promise<void> {
  const action = `${options.purpose ?? 'login'}.otp`;
  const em = core.db.em();
  const devices = await em.find(TotpDevice, { member: memberId }, { orderBy: { id: 'asc' } });
  const wanted = Number(input.deviceId);
  const device = devices.length === 1 ? devices[0] : devices.find((d) => d.id === wanted);
  if (!device) throw new KosmoError('OTP_INVALID', { reason: 'no_device' });
  const secret = core.secretBox.open(device.secretEnc, totpSealContext(societyId, memberId));
  const result = verifyTotpCode({ secret, code: typeof input.code === 'string' ? input.code : '', now: core.clock.now(), lastUsedStep: device.lastUsedStep ?? null });
  if (!result.ok) {
    const locked = await recordAuthFailure(core, societyId, memberId, ip, action);
    throw new KosmoError(locked ? 'INVALID_CREDENTIALS' : 'OTP_INVALID', { reason: result.reason, locked });
  }
  await em.transactional(async (tx) => {
    const d = await tx.findOneOrFail(TotpDevice, { id: device.id });
    // A concurrent request may have used a later step meanwhile: never move backwards (replay).
    if (d.lastUsedStep !== null && d.lastUsedStep !== undefined && d.lastUsedStep >= result.step) throw new KosmoError('OTP_INVALID', { reason: 'replay' });
    d.lastUsedStep = result.step;
    d.lastUsedAt = core.clock.now();
    const member = await tx.findOneOrFail(Member, { id: memberId, society: societyId });
    await clearFailures(tx, memberId);
    recordAudit(tx, core.clock, { societyId, actor: memberActor(member, ip), action, member, details: { device: d.name } });
  });
}
