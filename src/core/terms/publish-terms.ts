import { TermsVersion } from '../db/entities/index.js';
import type { CoreContext } from '../context.js';
import type { Actor } from '../actor.js';
import { actorLabel } from '../actor.js';
import { KosmoError } from '../errors.js';
import { recordAudit } from '../audit/record-audit.js';
import { hasControlChars } from '../util/normalize.js';
import { termsText } from './terms-text.js';

export { TERMS_MAX_BYTES, readTermsFile } from './terms-text.js';

/** A version as published: plain data (the text as stored, after normalising). */
export interface PublishedTerms {
  version: number;
  title: string;
  body: string;
  publishedAt: Date;
  publishedBy: string;
}

/**
 * Publishes the next terms version; every member must accept it at their next authentication
 * (§2.12). `body` is the file's bytes as read (checked here: size, UTF-8, no control characters,
 * not empty — terms-text.ts) or a text; `file` names it in those errors.
 */
export async function publishTerms(core: CoreContext, actor: Actor, input: { societyId: number; title?: string; body: string | Uint8Array; file?: string }): Promise<PublishedTerms> {
  const { societyId } = input;
  const body = termsText(input.body, input.file);
  const title = (input.title ?? '利用規約').trim();
  if (title === '' || title.length > 200) throw new KosmoError('INPUT_INVALID', { field: 'title', reason: 'LENGTH', min: 1, max: 200 });
  if (hasControlChars(title)) throw new KosmoError('INPUT_INVALID', { field: 'title', reason: 'MAX_CHARS', max: 200 });
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
    return { version: version.version, title: version.title, body: version.body, publishedAt: version.publishedAt, publishedBy: version.publishedBy };
  });
}
