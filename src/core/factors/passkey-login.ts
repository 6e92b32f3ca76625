import { Member, Passkey } from '../db/entities/index.js';
import type { CoreContext } from '../context.js';
import { KosmoError } from '../errors.js';
import { recordAudit } from '../audit/record-audit.js';
import { memberActor } from '../auth/member-actor.js';
import { recordAuthFailure } from '../auth/authenticate-password.js';
import { clearFailures } from '../auth/lockout.js';
import { createAuthenticationOptions, findPasskeyForResponse, verifyPasskeyAuthentication, type RelyingParty } from '../credentials/passkey/index.js';
import { storedPasskeyOf } from './stored-passkey-of.js';

/** 生体認証 → `次へ` (§2.5): options for navigator.credentials.get() over the member's passkeys. */
export async function beginPasskeyLogin(core: CoreContext, societyId: number, memberId: number, rp: RelyingParty) {
  const em = core.db.em();
  await em.findOneOrFail(Member, { id: memberId, society: societyId });
  const passkeys = await em.find(Passkey, { member: memberId });
  return createAuthenticationOptions({ rp, allow: passkeys.map(storedPasskeyOf) });
}

/**
 * Verifies an assertion against the member's own passkeys: signature, challenge, origin, rpId,
 * user verification and the signature counter (WebAuthn L3 §7.2). A failure counts towards the
 * lockout; one that locks the account ends the login.
 */
export async function verifyPasskeyLogin(core: CoreContext, societyId: number, memberId: number, rp: RelyingParty, response: unknown, expectedChallenge: string, ip: string | null): Promise<void> {
  const em = core.db.em();
  const rows = await em.find(Passkey, { member: memberId });
  const stored = findPasskeyForResponse(response, rows.map(storedPasskeyOf));
  const result = stored ? await verifyPasskeyAuthentication({ rp, response: response as never, expectedChallenge, passkey: stored }) : ({ ok: false, reason: 'unknown_credential' } as const);
  if (!result.ok || !stored) {
    const locked = await recordAuthFailure(core, societyId, memberId, ip, 'login.passkey');
    throw new KosmoError(locked ? 'INVALID_CREDENTIALS' : 'PASSKEY_FAILED', { reason: result.ok ? 'unknown_credential' : result.reason, locked });
  }
  await em.transactional(async (tx) => {
    const row = await tx.findOneOrFail(Passkey, { credentialId: stored.credentialId, member: memberId });
    row.counter = result.newCounter;
    row.lastUsedAt = core.clock.now();
    const member = await tx.findOneOrFail(Member, { id: memberId, society: societyId });
    await clearFailures(tx, memberId);
    recordAudit(tx, core.clock, { societyId, actor: memberActor(member, ip), action: 'login.passkey', member, details: { label: row.label } });
  });
}
