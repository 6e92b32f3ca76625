import type { EntityManager } from '@mikro-orm/sql';
import { Society } from '../db/entities/index.js';
import { KosmoError } from '../errors.js';

/** A DNS host name or IPv4 address, lower case (compared with the request's Host, port removed). */
const HOST = /^(?=.{1,253}$)[a-z0-9](?:[a-z0-9-]{0,61}[a-z0-9])?(?:\.[a-z0-9](?:[a-z0-9-]{0,61}[a-z0-9])?)*$/;

/** Trims, lower-cases and de-duplicates; refuses a malformed name (INPUT_INVALID, reason HOST_NAME). */
export function normalizeHostNames(field: string, names: readonly string[]): string[] {
  const out: string[] = [];
  for (const raw of names) {
    const host = raw.trim().toLowerCase().replace(/\.$/, '');
    if (host === '') continue;
    if (!HOST.test(host)) throw new KosmoError('INPUT_INVALID', { field, reason: 'HOST_NAME', host: raw.trim() });
    if (!out.includes(host)) out.push(host);
  }
  return out;
}

/**
 * The portal picks a society by host name, so no host name may select two societies
 * (HOST_NAME_TAKEN naming the society that has it). `societyId` is the society being changed
 * (null for a new one).
 */
export async function assertHostNamesFree(em: EntityManager, societyId: number | null, hostNames: readonly string[]): Promise<void> {
  if (hostNames.length === 0) return;
  for (const other of await em.find(Society, {}, { orderBy: { id: 'asc' } })) {
    if (other.id === societyId) continue;
    const taken = hostNames.find((h) => other.settings.hostNames.map((x) => x.toLowerCase()).includes(h));
    if (taken) throw new KosmoError('HOST_NAME_TAKEN', { host: taken, owner: other.code });
  }
}
