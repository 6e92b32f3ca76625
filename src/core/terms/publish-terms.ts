import { TermsVersion, type TermsVersionRow } from '../db/entities/index.js';
import type { CoreContext } from '../context.js';
import type { Actor } from '../actor.js';
import { actorLabel } from '../actor.js';
import { KosmoError } from '../errors.js';
import { recordAudit } from '../audit/record-audit.js';

/** Publishes the next terms version; every member must accept it at their next authentication (§2.12). */
export async function publishTerms(core: CoreContext, actor: Actor, societyId: number, input: { title?: string; body: string }): Promise<TermsVersionRow> {
  const body = input.body.replace(/^\uFEFF/, '').replace(/\r\n?/g, '\n').trim();
  if (body === '' || body.length > 200_000) throw new KosmoError('INPUT_INVALID', { field: 'file', reason: 'the terms text is empty or longer than 200 000 characters' });
  const title = (input.title ?? '利用規約').trim();
  if (title === '' || title.length > 200) throw new KosmoError('INPUT_INVALID', { field: 'title' });
  return core.db.em().transactional(async (em) => {
    const latest = await em.findOne(TermsVersion, { society: societyId }, { orderBy: { version: 'desc' } });
    const version = em.create(TermsVersion, {
      society: societyId,
      version: (latest?.version ?? 0) + 1,
      title,
      body,
      publishedAt: core.clock.now(),
      publishedBy: actorLabel(actor),
    });
    await em.flush();
    recordAudit(em, core.clock, { societyId, actor, action: 'terms.publish', details: { version: version.version, title } });
    return version;
  });
}
