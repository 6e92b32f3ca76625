import { Member, Passkey } from '../db/entities/index.js';
import type { ActingMember } from '../actor.js';
import type { CoreContext } from '../context.js';
import { KosmoError } from '../errors.js';
import { createRegistrationOptions, verifyPasskeyRegistration, type RelyingParty, type StoredPasskey } from '../credentials/passkey/index.js';
import { storedPasskeyOf } from './stored-passkey-of.js';

/**
 * セキュリティキーの登録 → `登録` (§2.5): options for navigator.credentials.create(). The caller keeps
 * the challenge server-side (session), single use, short-lived (WebAuthn L3 §13.4.3).
 */
export async function beginPasskeyRegistration(core: CoreContext, acting: ActingMember, rp: RelyingParty) {
  const { societyId, memberId } = acting;
  const em = core.db.em();
  const member = await em.findOneOrFail(Member, { id: memberId, society: societyId });
  const existing = await em.find(Passkey, { member: memberId });
  return createRegistrationOptions({ rp, userId: `${societyId}:${member.id}`, userName: member.userId, userDisplayName: member.name, existing: existing.map(storedPasskeyOf) });
}

/** Verifies the browser's answer (user verification required); the passkey is stored once labelled. */
export async function finishPasskeyRegistration(core: CoreContext, rp: RelyingParty, response: unknown, expectedChallenge: string): Promise<StoredPasskey> {
  const result = await verifyPasskeyRegistration({ rp, response: response as never, expectedChallenge });
  if (!result.ok) throw new KosmoError('PASSKEY_FAILED', { reason: result.reason });
  if (await core.db.em().count(Passkey, { credentialId: result.passkey.credentialId })) throw new KosmoError('PASSKEY_FAILED', { reason: 'already_registered' });
  return result.passkey;
}
