import { Member, TotpDevice } from '../db/entities/index.js';
import type { ActingMember } from '../actor.js';
import type { CoreContext } from '../context.js';
import { KosmoError } from '../errors.js';
import { recordAudit } from '../audit/record-audit.js';
import { memberActor } from '../auth/member-actor.js';
import { verifyTotpCode } from '../credentials/totp/index.js';
import { finishOnboardingIfDone } from '../onboarding/finish-onboarding.js';
import { totpSealContext } from './totp-seal-context.js';
import { validateDeviceName } from './device-name.js';
import { afterFactorChange } from './factor-hooks.js';
import { removeLostFactors } from './remove-lost-factors.js';

/**
 * `実行` on the set-up page: the first code from the app proves the seed was copied right
 * (wrong or expired → `認証コードが異なります`). The device is stored with that code's time step
 * as used, so the same code cannot log in afterwards (RFC 6238 §5.2).
 */
export async function confirmTotpSetup(
  core: CoreContext,
  acting: ActingMember,
  input: { secretEnc: string; code: unknown; deviceName: unknown },
  options: { replaceLost?: boolean } = {},
): Promise<{ deviceId: number; name: string }> {
  const { societyId, memberId, ip } = acting;
  const name = validateDeviceName(input.deviceName);
  const secret = core.secretBox.open(input.secretEnc, totpSealContext(societyId, memberId));
  const result = verifyTotpCode({ secret, code: typeof input.code === 'string' ? input.code : '', now: core.clock.now(), lastUsedStep: null });
  if (!result.ok) throw new KosmoError('OTP_SETUP_INVALID');
  return core.db.em().transactional(async (em) => {
    const member = await em.findOneOrFail(Member, { id: memberId, society: societyId });
    if (options.replaceLost) await removeLostFactors(em, core, member, 'otp', ip);
    else if (await em.count(TotpDevice, { member: memberId, name })) throw new KosmoError('DEVICE_NAME_TAKEN');
    const now = core.clock.now();
    const device = em.create(TotpDevice, { member, name, secretEnc: input.secretEnc, lastUsedStep: result.step, createdAt: now, lastUsedAt: now });
    finishOnboardingIfDone(em, core.clock, member);
    await em.flush();
    recordAudit(em, core.clock, { societyId, actor: memberActor(member, ip), action: 'factor.add', member, details: { kind: 'otp', name } });
    await afterFactorChange(em, core, member, 'added', name);
    return { deviceId: device.id, name };
  });
}
