import { Member, OneTimeToken } from '../db/entities/index.js';
import type { CoreContext } from '../context.js';
import { KosmoError } from '../errors.js';
import { recordAudit } from '../audit/record-audit.js';
import { newToken, sha256Hex } from '../random.js';
import { normalizeUserId } from '../accounts/user-id.js';
import { hasControlChars } from '../util/normalize.js';
import { enqueueMail } from '../mail/enqueue-mail.js';
import { lockoutStatus, loadThrottle } from '../auth/lockout.js';
import { accountSubject, clientSubject, MAILS_PER_ACCOUNT, REQUESTS_PER_CLIENT, takeRecoverySlot } from './recovery-limits.js';

/** The reset link is valid this long and once (manual 3-3: 5 minutes). */
export const RESET_LINK_MS = 5 * 60 * 1000;
const ACTION = 'recovery.password_request';

/**
 * パスワードを忘れた方はこちら (§2.10). The answer is the same whether or not the ID exists (OWASP
 * Forgot Password CS); a mail goes only to an existing, enabled member with an address. The link
 * carries a 256-bit token of which only the SHA-256 is stored; a newer request supersedes older
 * links. Too many requests from one client → RATE_LIMITED (says nothing about any account).
 *
 * `baseUrl` is where the link points (the portal's public URL). The caller passes null when it
 * knows no trusted one (e.g. only the request's Host header, which an attacker chooses: reset-link
 * poisoning); then no mail goes out and the audit log says why. A permanently locked account gets
 * no link either (only staff unlock it; the link could not be used).
 */
export async function requestPasswordReset(core: CoreContext, societyId: number, input: { userId: unknown; ip: string | null; baseUrl: string | null }): Promise<void> {
  const userId = normalizeUserId(input.userId).slice(0, 128);
  // An empty field is a typing slip, not a question about an account: say so.
  if (!userId) throw new KosmoError('USER_ID_REQUIRED');
  if (input.ip && !(await takeRecoverySlot(core, societyId, clientSubject(ACTION, input.ip), REQUESTS_PER_CLIENT))) throw new KosmoError('RATE_LIMITED');
  const em = core.db.em();
  // A control character (a NUL byte ends SQLite's statement, PostgreSQL refuses it) names no account.
  const member = hasControlChars(userId) ? null : await em.findOne(Member, { society: societyId, userId });
  const anonymous = { type: 'anonymous' as const, ip: input.ip };
  const refuse = (reason: string, who: { id: number; userId: string } | null) =>
    em.transactional(async (tx) => recordAudit(tx, core.clock, { societyId, actor: anonymous, action: ACTION, outcome: 'failure', member: who, details: { reason } }));
  // Provisional members have no password of their own yet: staff re-issue (`kosmo member reissue`).
  if (!member || !member.email || member.status !== 'active') {
    return refuse(!member ? 'unknown_user' : member.email ? 'not_active' : 'no_mail', member ? { id: member.id, userId: member.userId } : null);
  }
  const now = core.clock.now();
  const refusal = !input.baseUrl
    ? 'no_public_url'
    : lockoutStatus(await loadThrottle(core, societyId, member.id), now).state === 'locked'
      ? 'locked'
      : !(await takeRecoverySlot(core, societyId, accountSubject(ACTION, member.id), MAILS_PER_ACCOUNT))
        ? 'rate_limited'
        : null;
  if (refusal || !input.baseUrl) return refuse(refusal ?? 'no_public_url', member);
  const baseUrl = input.baseUrl;
  await em.transactional(async (tx) => {
    await tx.nativeUpdate(OneTimeToken, { member: member.id, purpose: 'password_reset', usedAt: null, supersededAt: null }, { supersededAt: now });
    const token = newToken(core.random);
    tx.create(OneTimeToken, {
      society: societyId,
      member: member.id,
      purpose: 'password_reset',
      tokenHash: sha256Hex(token),
      createdAt: now,
      expiresAt: new Date(now.getTime() + RESET_LINK_MS),
      usedAt: null,
      supersededAt: null,
    });
    await enqueueMail(tx, core, {
      societyId,
      memberId: member.id,
      to: member.email!,
      template: 'password-reset',
      vars: { memberName: member.name, resetUrl: `${baseUrl.replace(/\/$/, '')}/password/reset/${token}`, minutes: RESET_LINK_MS / 60_000 },
    });
    recordAudit(tx, core.clock, { societyId, actor: anonymous, action: ACTION, member });
  });
}
