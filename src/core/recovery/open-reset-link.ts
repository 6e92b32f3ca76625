import { Member, OneTimeToken } from '../db/entities/index.js';
import type { CoreContext } from '../context.js';
import { KosmoError } from '../errors.js';
import { recordAudit } from '../audit/record-audit.js';
import { sha256Hex } from '../random.js';

const TOKEN_SHAPE = /^[A-Za-z0-9_-]{43}$/;

/**
 * Whether a reset link would open now, without using it up: the page a link leads to is shown by a
 * GET, which mail scanners and link previews fetch too, so only the member's POST consumes it.
 */
export async function resetLinkUsable(core: CoreContext, societyId: number, token: unknown): Promise<boolean> {
  if (typeof token !== 'string' || !TOKEN_SHAPE.test(token)) return false;
  const em = core.db.em();
  const row = await em.findOne(OneTimeToken, { tokenHash: sha256Hex(token), purpose: 'password_reset', society: societyId });
  if (!row || row.usedAt || row.supersededAt || row.expiresAt.getTime() <= core.clock.now().getTime()) return false;
  const member = await em.findOne(Member, { id: row.member.id, society: societyId });
  return !!member && member.status !== 'disabled';
}

/**
 * Opens a reset link: valid only if it exists, is unused, not superseded and not older than 5
 * minutes; it is used up now (single use), and the caller starts a recovery session for the member.
 * The use is a compare-and-set on (id, unused, not superseded), so two requests racing with one
 * link cannot both open it. A refused link is audited (outside the refused transaction).
 */
export async function openResetLink(core: CoreContext, societyId: number, token: unknown, ip: string | null): Promise<{ memberId: number }> {
  const anonymous = { type: 'anonymous' as const, ip };
  type Outcome = { memberId: number } | { refused: string; member: { id: number; userId: string } | null };
  const outcome: Outcome =
    typeof token !== 'string' || !TOKEN_SHAPE.test(token)
      ? { refused: 'malformed', member: null }
      : await core.db.em().transactional(async (em): Promise<Outcome> => {
          const now = core.clock.now();
          const row = await em.findOne(OneTimeToken, { tokenHash: sha256Hex(token), purpose: 'password_reset', society: societyId });
          if (!row) return { refused: 'unknown', member: null };
          const member = await em.findOneOrFail(Member, { id: row.member.id, society: societyId });
          const ref = { id: member.id, userId: member.userId };
          if (row.usedAt) return { refused: 'used', member: ref };
          if (row.supersededAt) return { refused: 'superseded', member: ref };
          if (row.expiresAt.getTime() <= now.getTime()) return { refused: 'expired', member: ref };
          const claimed = await em.nativeUpdate(OneTimeToken, { id: row.id, usedAt: null, supersededAt: null }, { usedAt: now });
          if (claimed !== 1) return { refused: 'used', member: ref };
          if (member.status === 'disabled') return { refused: 'disabled', member: ref };
          recordAudit(em, core.clock, { societyId, actor: anonymous, action: 'recovery.password_link', member });
          return { memberId: member.id };
        });
  if ('memberId' in outcome) return outcome;
  await core.db.em().transactional(async (em) => {
    recordAudit(em, core.clock, { societyId, actor: anonymous, action: 'recovery.password_link', outcome: 'failure', member: outcome.member, details: { reason: outcome.refused } });
  });
  throw new KosmoError('TOKEN_INVALID');
}
