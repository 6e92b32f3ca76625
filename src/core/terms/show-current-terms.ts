import type { CoreContext } from '../context.js';
import { currentTerms } from './current-terms.js';

/** The terms version members are asked to accept now, as plain data (null: none published). */
export async function showCurrentTerms(core: CoreContext, societyId: number): Promise<{ title: string; version: number; body: string; publishedAt: Date } | null> {
  const t = await currentTerms(core.db.em(), societyId);
  return t ? { title: t.title, version: t.version, body: t.body, publishedAt: t.publishedAt } : null;
}
