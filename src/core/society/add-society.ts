import type { SocietyView } from './society-view.js';
import type { CoreContext } from '../context.js';
import type { Actor } from '../actor.js';
import { KosmoError } from '../errors.js';
import { createSociety } from './create-society.js';
import { listSocieties } from './find-society.js';
import { assertHostNamesFree, normalizeHostNames } from './host-names.js';

export interface AddSocietyInput {
  code: string;
  name: string;
  portalTitle?: string;
  hostNames?: readonly string[];
}

/**
 * `kosmo society add`: one more society in the same database. With several societies the portal
 * chooses by the request's host name (societyForHost), so the new society needs a host name of its
 * own, and every existing society must already have one — else its members would meet a 404 the
 * moment the second society is added.
 */
export async function addSociety(core: CoreContext, actor: Actor, input: AddSocietyInput): Promise<SocietyView> {
  const hostNames = normalizeHostNames('host', input.hostNames ?? []);
  const existing = await listSocieties(core);
  if (existing.length > 0) {
    if (hostNames.length === 0) throw new KosmoError('INPUT_INVALID', { field: 'host', reason: 'HOST_REQUIRED' });
    const without = existing.filter((s) => s.settings.hostNames.length === 0).map((s) => s.code);
    if (without.length > 0) throw new KosmoError('INPUT_INVALID', { field: 'host', reason: 'HOSTS_REQUIRED', codes: without });
  }
  await assertHostNamesFree(core.db.em(), null, hostNames);
  return createSociety(core, actor, { code: input.code, name: input.name, portalTitle: input.portalTitle, settings: { hostNames } });
}
