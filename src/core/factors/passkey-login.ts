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
 * lockout; one that locks the account ends the login. `purpose: 'reauth'` (§2.9) audits as
 * `reauth.passkey`. The counter is stored compare-and-set against the one verified against.
 */
export async function verifyPasskeyLogin(
  core: CoreContext,
  societyId: number,
  memberId: number,
  rp: RelyingParty,
  response: unknown,
  expectedChallenge: string,
  ip: string | null,
  options: { purpose?: 'login' | 'reauth' } = {},
): Promise<void> {
  const action = `${options.purpose ?? 'login'}.passkey`;
  const em = core.db.em();
  const rows = await em.find(Passkey, { member: memberId });
  const stored = findPasskeyForResponse(response, rows.map(storedPasskeyOf));
  const result = stored ? await verifyPasskeyAuthentication({ rp, response: response as never, expectedChallenge, passkey: stored }) : ({ ok: false, reason: 'unknown_credential' } as const);
  if (!result.ok || !stored) {
    const locked = await recordAuthFailure(core, societyId, memberId, ip, action);
    throw new KosmoError(locked ? 'INVALID_CREDENTIALS' : 'PASSKEY_FAILED', { reason: result.ok ? 'unknown_credential' : result.reason, locked });
  }
  await em.transactional(async (tx) => {
    const row = await tx.findOneOrFail(Passkey, { credentialId: stored.credentialId, member: memberId });
    // Compare-and-set: of two requests carrying one assertion, only the first moves the counter.
    const moved = await tx.nativeUpdate(Passkey, { id: row.id, counter: stored.counter }, { counter: result.newCounter, lastUsedAt: core.clock.now() });
    if (moved !== 1) throw new KosmoError('PASSKEY_FAILED', { reason: 'COUNTER_RACE', locked: false });
    const member = await tx.findOneOrFail(Member, { id: memberId, society: societyId });
    await clearFailures(tx, memberId);
    recordAudit(tx, core.clock, { societyId, actor: memberActor(member, ip), action, member, details: { label: row.label } });
  });
}
