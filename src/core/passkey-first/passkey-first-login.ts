import type { CoreContext } from '../context.js';
import { KosmoError } from '../errors.js';
import { Passkey, Society, type MemberRow } from '../db/entities/index.js';
import { auditedTransaction } from '../audit/insert-audit.js';
import { createAuthenticationOptions, type RelyingParty } from '../credentials/passkey/index.js';
import { passkeyUserHandle } from '../credentials/passkey/passkey-user-handle.js';
import { verifyPasskeyLogin } from '../factors/passkey-login.js';
import { startLoginSession } from '../login/begin-login.js';
import { advanceLogin, type LoginAdvance } from '../login/advance-login.js';
import { loginSessionOf, type LoginSession } from '../login/login-session.js';
import type { LoginClient } from '../devices/login-client.js';

/** Whether the society offers passkey sign-in from the login page (setting `passkeyFirst`). */
async function passkeyFirstOn(core: CoreContext, societyId: number): Promise<boolean> {
  const society = await core.db.em().findOne(Society, { id: societyId });
  return society?.settings.passkeyFirst !== false;
}

/**
 * Options for the login page's conditional mediation (issue 13, passkey autofill): an empty
 * allowCredentials, so the browser offers any discoverable passkey of this site among the user-ID
 * field's suggestions (WebAuthn L3 §5.1.4.1 conditional mediation), user verification required.
 * Throws NOT_FOUND when the society turned `passkeyFirst` off.
 */
export async function beginPasskeyFirstLogin(core: CoreContext, societyId: number, rp: RelyingParty) {
  if (!(await passkeyFirstOn(core, societyId))) throw new KosmoError('NOT_FOUND');
  return createAuthenticationOptions({ rp, allow: [] });
}

/**
 * Sign-in with a passkey alone, picked from the login page's suggestions (issue 13). A passkey
 * whose authenticator verified the user is a multi-factor authenticator (NIST SP 800-63B-4 §3.1.7:
 * something you have, unlocked by something you know or are), so it stands for password and second
 * factor together — AAL2. The credential names the member (its id, and the user handle when the
 * browser sends one, WebAuthn L3 §7.2 step 6); then the same guarded verification as the 生体認証
 * step (signature, challenge, origin, rpId, UV, counter compare-and-set, lockout) and the login
 * continues from "second factor proven" (terms, then the top page).
 * Any refusal is PASSKEY_FAILED (a locked account ACCOUNT_LOCKED), for known and unknown
 * credentials alike.
 */
export async function passkeyFirstLogin(
  core: CoreContext,
  societyId: number,
  session: LoginSession,
  rp: RelyingParty,
  response: unknown,
  expectedChallenge: string,
  client: LoginClient,
  opts: { rememberMe?: boolean } = {},
): Promise<LoginAdvance & { memberId: number }> {
  if (!(await passkeyFirstOn(core, societyId))) throw new KosmoError('NOT_FOUND');
  const member = await memberOfCredential(core, societyId, response);
  if (!member) {
    await auditedTransaction(core, (tx) =>
      tx.audit({ societyId, actor: { type: 'anonymous', ip: client.ip }, action: 'login.passkey_first', outcome: 'failure', member: null, details: { reason: 'unknown_credential' } }),
    );
    throw new KosmoError('PASSKEY_FAILED', { reason: 'unknown_credential' });
  }
  await verifyPasskeyLogin(core, { societyId, memberId: member.id, ip: client.ip }, rp, response, expectedChallenge, { purpose: 'login', device: client.device ?? null });
  const started = await startLoginSession(core, societyId, member.id, session, { rememberMe: opts.rememberMe, progress: { secondFactorVerified: true } });
  if (started.step !== 'done' || !started.renewed) return started;
  // Nothing left to prove: the login completes now (last login, counters, known device, notice).
  const done = await advanceLogin(core, { societyId, memberId: member.id, ip: client.ip }, { session: loginSessionOf(started.renewed.session), client });
  return { ...done, renewed: done.renewed ?? started.renewed, memberId: member.id };
}

/** The active member whose passkey the response names, in this society, or null. */
async function memberOfCredential(core: CoreContext, societyId: number, response: unknown): Promise<MemberRow | null> {
  const r = response as { id?: unknown; rawId?: unknown; response?: { userHandle?: unknown } } | null;
  if (!r || typeof r !== 'object' || typeof r.id !== 'string' || r.id !== r.rawId || r.id.length > 1400) return null;
  const passkey = await core.db
    .em()
    .fork()
    .findOne(Passkey, { credentialId: r.id, member: { society: societyId } }, { populate: ['member'] });
  const member = passkey?.member ?? null;
  if (!member || member.status !== 'active') return null;
  const handle = r.response?.userHandle;
  if (handle !== undefined && handle !== null && handle !== Buffer.from(passkeyUserHandle(`${societyId}:${member.id}`)).toString('base64url')) return null;
  return member as MemberRow;
}
