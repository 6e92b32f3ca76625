import { Member, Passkey } from '../db/entities/index.js';
import type { ActingMember } from '../actor.js';
import type { CoreContext } from '../context.js';
import { memberActor } from '../auth/member-actor.js';
import { guardedAttempt } from '../auth/guarded-attempt.js';
import { memberSubject } from '../auth/throttle-store.js';
import { createAuthenticationOptions, findPasskeyForResponse, verifyPasskeyAuthentication, type RelyingParty } from '../credentials/passkey/index.js';
import { storedPasskeyOf } from './stored-passkey-of.js';
import { attemptClientFor } from '../auth/attempt-client.js';

/** 生体認証 → `次へ` (§2.5): options for navigator.credentials.get() over the member's passkeys. */
export async function beginPasskeyLogin(core: CoreContext, acting: ActingMember, rp: RelyingParty) {
  const { societyId, memberId } = acting;
  const em = core.db.em();
  await em.findOneOrFail(Member, { id: memberId, society: societyId });
  const passkeys = await em.find(Passkey, { member: memberId });
  return createAuthenticationOptions({ rp, allow: passkeys.map(storedPasskeyOf) });
}

/**
 * Verifies an assertion against the member's own passkeys: signature, challenge, origin, rpId,
 * user verification and the signature counter (WebAuthn L3 §7.2). A guarded attempt
 * (guarded-attempt.ts): reserved before the check, a failure counts towards the lockout and one
 * that locks ends the login. `purpose: 'reauth'` (§2.9) audits as `reauth.passkey`. The counter is
 * stored compare-and-set against the one verified against; the challenge itself is single use
 * (takeWebauthnChallenge), which is what stops a replay of an authenticator whose counter stays 0.
 */
export async function verifyPasskeyLogin(
  core: CoreContext,
  acting: ActingMember,
  rp: RelyingParty,
  response: unknown,
  expectedChallenge: string,
  options: { purpose?: 'login' | 'reauth'; device?: string | null } = {},
): Promise<void> {
  const { societyId, memberId, ip } = acting;
  const action = `${options.purpose ?? 'login'}.passkey`;
  const em = core.db.em();
  const member = await em.findOneOrFail(Member, { id: memberId, society: societyId });
  const rows = await em.find(Passkey, { member: memberId });
  const stored = findPasskeyForResponse(response, rows.map(storedPasskeyOf));
  const actor = memberActor(member, ip);
  let newCounter = 0;
  const subject = memberSubject(memberId);
  // Smart lockout (issue 13): this client's own counter; a known device passes others' back-off.
  const client = await attemptClientFor(core, member, subject, { ip, device: options.device ?? null });
  await guardedAttempt<void>(
    core,
    { societyId, subject, client, action, actor, member, failureCode: 'PASSKEY_FAILED' },
    async () => {
      if (!stored) return { ok: false, reason: 'unknown_credential' };
      const result = await verifyPasskeyAuthentication({ rp, response: response as never, expectedChallenge, passkey: stored });
      if (!result.ok) return { ok: false, reason: result.reason };
      newCounter = result.newCounter;
      return { ok: true };
    },
    async (tx) => {
      const row = rows.find((r) => r.credentialId === stored!.credentialId)!;
      // Compare-and-set: of two requests carrying one assertion, only the first moves the counter.
      const moved = await tx.run(`UPDATE passkey SET counter = :next, last_used_at = ${tx.sql.ts(':now')} WHERE id = :id AND member_id = :member AND counter = :seen`, {
        next: newCounter,
        now: core.clock.now(),
        id: row.id,
        member: memberId,
        seen: stored!.counter,
      });
      if (moved !== 1) return { ok: false, reason: 'COUNTER_RACE' };
      await tx.audit({ societyId, actor, action, member, details: { label: row.label } });
      return { ok: true };
    },
  );
}
