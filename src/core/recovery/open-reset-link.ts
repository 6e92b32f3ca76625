import { Member, OneTimeToken } from '../db/entities/index.js';
import type { CoreContext } from '../context.js';
import { KosmoError } from '../errors.js';
import { recordAudit } from '../audit/record-audit.js';
import { sha256Hex } from '../random.js';

/**
 * Opens a reset link: valid only if it exists, is unused, not superseded and not older than 5
 * minutes; it is used up now (single use), and the caller starts a recovery session for the member.
 */
export async function openResetLink(core: CoreContext, societyId: number, token: unknown, ip: string | null): Promise<{ memberId: number }> {
  if (typeof token !== 'string' || !/^[A-Za-z0-9_-]{43}$/.test(token)) throw new KosmoError('TOKEN_INVALID');
  return core.db.em().transactional(async (em) => {
    const now = core.clock.now();
    const row = await em.findOne(OneTimeToken, { tokenHash: sha256Hex(token), purpose: 'password_reset', society: societyId });
    const valid = row && !row.usedAt && !row.supersededAt && row.expiresAt.getTime() > now.getTime();
    if (!row || !valid) {
      recordAudit(em, core.clock, { societyId, actor: { type: 'anonymous', ip }, action: 'recovery.password_link', outcome: 'failure', details: { reason: !row ? 'unknown' : row.usedAt ? 'used' : row.supersededAt ? 'superseded' : 'expired' } });
      throw new KosmoError('TOKEN_INVALID');
    }
    row.usedAt = now;
    const member = await em.findOneOrFail(Member, { id: row.member.id, society: societyId });
    if (member.status === 'disabled') throw new KosmoError('TOKEN_INVALID');
    recordAudit(em, core.clock, { societyId, actor: { type: 'anonymous', ip }, action: 'recovery.password_link', member });
    return { memberId: member.id };
  });
}
