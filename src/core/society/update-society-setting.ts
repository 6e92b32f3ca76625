import type { EntityManager } from '@mikro-orm/sql';
import { Society } from '../db/entities/index.js';
import { societyView, type SocietyView } from './society-view.js';
import type { CoreContext } from '../context.js';
import type { Actor } from '../actor.js';
import { KosmoError } from '../errors.js';
import { defaultSettings, societySettingsSchema, type SocietySettings } from './settings.js';
import { recordAudit } from '../audit/record-audit.js';
import { settingReason } from './setting-reason.js';
import { assertHostNamesFree, normalizeHostNames } from './host-names.js';

/** Keys staff may set: the two top-level names plus every leaf of the settings object. */
export function settingKeys(settings: SocietySettings): string[] {
  const keys = ['name', 'portalTitle'];
  for (const [k, v] of Object.entries(settings)) {
    if (v && typeof v === 'object' && !Array.isArray(v)) keys.push(...Object.keys(v).map((sub) => `${k}.${sub}`));
    else keys.push(k);
  }
  return keys;
}

function parseValue(key: string, raw: string, current: unknown): unknown {
  if (typeof current === 'string' || (current === null && key === 'publicUrl')) return raw === '' && current === null ? null : raw;
  if (typeof current === 'number') {
    if (!/^-?\d+$/.test(raw.trim())) throw new KosmoError('SETTING_INVALID', { key, reason: 'WHOLE_NUMBER' });
    return Number(raw);
  }
  if (Array.isArray(current) && current.every((x) => typeof x === 'string') && !raw.trim().startsWith('[')) {
    return raw
      .split(',')
      .map((s) => s.trim())
      .filter(Boolean);
  }
  try {
    return JSON.parse(raw);
  } catch {
    throw new KosmoError('SETTING_INVALID', { key, reason: 'JSON' });
  }
}

type Change = { kind: 'set'; raw: string } | { kind: 'reset' };

/**
 * One change of one setting, validated against the settings schema as a whole (so e.g. a minimum
 * above the maximum is refused), audited with the old and new value in the same transaction.
 * Host names are checked against the other societies: the portal picks a society by them.
 */
async function changeSetting(core: CoreContext, actor: Actor, societyId: number, key: string, change: Change): Promise<SocietyView> {
  const changed = await core.db.em().transactional(async (em) => {
    const society = await em.findOneOrFail(Society, { id: societyId });
    // Stored before a release added settings (e.g. issue 13's): their defaults fill the gaps, so
    // the new keys can be set on an existing society too.
    society.settings = societySettingsSchema.parse(society.settings ?? {});
    if (!settingKeys(society.settings).includes(key)) throw new KosmoError('SETTING_UNKNOWN', { key, known: settingKeys(society.settings) });
    let before: unknown;
    let after: unknown;
    if (key === 'name' || key === 'portalTitle') {
      if (change.kind === 'reset') throw new KosmoError('SETTING_INVALID', { key, reason: 'NO_DEFAULT' });
      const value = change.raw.trim();
      if (!value || value.length > 200) throw new KosmoError('SETTING_INVALID', { key, reason: 'LENGTH', min: 1, max: 200 });
      before = society[key];
      society[key] = value;
      after = value;
    } else {
      const next = structuredClone(society.settings) as Record<string, unknown>;
      const [top, sub] = key.split('.') as [string, string | undefined];
      const holder = sub ? (next[top] as Record<string, unknown>) : next;
      const leaf = sub ?? top;
      before = holder[leaf];
      if (change.kind === 'reset') {
        const defaults = defaultSettings() as unknown as Record<string, unknown>;
        holder[leaf] = structuredClone(sub ? (defaults[top] as Record<string, unknown>)[leaf] : defaults[leaf]);
      } else {
        holder[leaf] = parseValue(key, change.raw, before);
      }
      if (key === 'hostNames' && Array.isArray(holder[leaf])) holder[leaf] = await checkedHostNames(em, societyId, holder[leaf] as string[]);
      const parsed = societySettingsSchema.safeParse(next);
      if (!parsed.success) throw new KosmoError('SETTING_INVALID', { key, ...settingReason(parsed.error.issues[0]!) });
      if (parsed.data.password.minLength > parsed.data.password.maxLength) throw new KosmoError('SETTING_INVALID', { key, reason: 'MIN_ABOVE_MAX' });
      society.settings = parsed.data;
      after = holder[leaf];
    }
    society.updatedAt = core.clock.now();
    recordAudit(em, core.clock, { societyId, actor, action: 'society.setting', details: { key, before, after, ...(change.kind === 'reset' ? { reset: true } : {}) } });
    return society;
  });
  return societyView(changed);
}

/** With several societies each keeps at least one host name; none may be another society's. */
async function checkedHostNames(em: EntityManager, societyId: number, names: string[]): Promise<string[]> {
  const hostNames = normalizeHostNames('hostNames', names.map(String));
  if (hostNames.length === 0 && (await em.count(Society, {})) > 1) throw new KosmoError('SETTING_INVALID', { key: 'hostNames', reason: 'HOSTS_KEEP' });
  await assertHostNamesFree(em, societyId, hostNames);
  return hostNames;
}

/** `kosmo society set <key> <value>`. */
export async function updateSocietySetting(core: CoreContext, actor: Actor, input: { societyId: number; key: string; value: string }): Promise<SocietyView> {
  return changeSetting(core, actor, input.societyId, input.key, { kind: 'set', raw: input.value });
}

/** `kosmo society unset <key>`: back to the documented default (name and portalTitle have none). */
export async function resetSocietySetting(core: CoreContext, actor: Actor, input: { societyId: number; key: string }): Promise<SocietyView> {
  return changeSetting(core, actor, input.societyId, input.key, { kind: 'reset' });
}
