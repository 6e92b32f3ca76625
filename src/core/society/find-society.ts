import { Society } from '../db/entities/index.js';
import { societyView, type SocietyView } from './society-view.js';
import type { CoreContext } from '../context.js';
import { KosmoError } from '../errors.js';
import { societyCache } from './society-cache.js';

/**
 * By code; with no code, the only society (a one-society deployment needs no flag). No code and
 * several societies is ambiguous (SOCIETY_AMBIGUOUS, listing the codes): a staff command never
 * guesses which society it changes.
 */
export async function findSociety(core: CoreContext, code?: string): Promise<SocietyView> {
  const em = core.db.em();
  if (code) {
    const s = await em.findOne(Society, { code: code.trim().toLowerCase() });
    if (!s) throw new KosmoError('SOCIETY_NOT_FOUND', { code });
    return societyView(s);
  }
  const all = await em.find(Society, {}, { orderBy: { id: 'asc' } });
  if (all.length === 0) throw new KosmoError('SOCIETY_NOT_FOUND', { reason: 'NO_SOCIETY' });
  if (all.length > 1) throw new KosmoError('SOCIETY_AMBIGUOUS', { codes: all.map((s) => s.code) });
  return societyView(all[0]!);
}

export async function listSocieties(core: CoreContext): Promise<SocietyView[]> {
  return (await core.db.em().find(Society, {}, { orderBy: { id: 'asc' } })).map(societyView);
}

/**
 * The society a portal request is for, by its Host header: the one listing that host name, else
 * the only society. Several societies and an unknown host: none.
 *
 * Every request asks, so the answer comes from the in-process society cache (society-cache.ts):
 * re-read through one prepared statement when older than 4 s, at once after a change made in this
 * process. The row is a plain frozen object shared by requests: read it, never persist it.
 */
export async function societyForHost(core: CoreContext, host: string): Promise<SocietyView | null> {
  return societyCache(core.db).forHost(host);
}
