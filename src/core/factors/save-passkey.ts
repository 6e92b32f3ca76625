import { Member, Passkey } from '../db/entities/index.js';
import type { ActingMember } from '../actor.js';
import type { CoreContext } from '../context.js';
import { KosmoError } from '../errors.js';
import { recordAudit } from '../audit/record-audit.js';
import { memberActor } from '../auth/member-actor.js';
import type { StoredPasskey } from '../credentials/passkey/index.js';
import { finishOnboardingIfDone } from '../onboarding/finish-onboarding.js';
import { validateDeviceName } from './device-name.js';
import { afterFactorChange } from './factor-hooks.js';
import { removeLostFactors } from './remove-lost-factors.js';

/** 認証ラベルの登録 → `OK` (§2.5): stores the verified passkey under a label unique for the member. */
export async function savePasskey(
  core: CoreContext,
  acting: ActingMember,
  passkey: StoredPasskey,
  labelInput: unknown,
  options: { replaceLost?: boolean } = {},
): Promise<{ id: number; label: string }> {
  const { societyId, memberId, ip } = acting;
  const label = validateDeviceName(labelInput);
  return core.db.em().transactional(async (em) => {
    const member = await em.findOneOrFail(Member, { id: memberId, society: societyId });
    if (options.replaceLost) await removeLostFactors(em, core, member, 'passkey', ip);
    else if (await em.count(Passkey, { member: memberId, label })) throw new KosmoError('DEVICE_NAME_TAKEN');
    if (await em.count(Passkey, { credentialId: passkey.credentialId })) throw new KosmoError('PASSKEY_FAILED', { reason: 'already_registered' });
    const now = core.clock.now();
    const row = em.create(Passkey, {
      member,
      label,
      credentialId: passkey.credentialId,
      publicKey: passkey.publicKey,
      counter: passkey.counter,
      transports: passkey.transports,
      createdAt: now,
      lastUsedAt: null,
    });
    finishOnboardingIfDone(em, core.clock, member);
    await em.flush();
    recordAudit(em, core.clock, { societyId, actor: memberActor(member, ip), action: 'factor.add', member, details: { kind: 'passkey', name: label } });
    await afterFactorChange(em, core, member, 'added', label);
    return { id: row.id, label };
  });
}
