import { Society, type SocietyRow } from '../db/entities/index.js';
import type { CoreContext } from '../context.js';
import type { Actor } from '../actor.js';
import { KosmoError } from '../errors.js';
import { societySettingsSchema, type SocietySettings } from './settings.js';
import { recordAudit } from '../audit/record-audit.js';

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
  if (typeof current === 'string' || current === null && key === 'publicUrl') return raw === '' && current === null ? null : raw;
  if (typeof current === 'number') {
    if (!/^-?\d+$/.test(raw.trim())) throw new KosmoError('SETTING_INVALID', { key, reason: 'expected a whole number' });
    return Number(raw);
  }
  if (Array.isArray(current) && current.every((x) => typeof x === 'string') && !raw.trim().startsWith('[')) {
    return raw.split(',').map((s) => s.trim()).filter(Boolean);
  }
  try {
    return JSON.parse(raw);
  } catch {
    throw new KosmoError('SETTING_INVALID', { key, reason: 'expected JSON' });
  }
}

/**
 * Sets one value, validated against the settings schema as a whole (so e.g. a minimum above the
 * maximum is refused), audited with the old and new value.
 */
export async function updateSocietySetting(core: CoreContext, actor: Actor, societyId: number, key: string, raw: string): Promise<SocietyRow> {
  return core.db.em().transactional(async (em) => {
    const society = await em.findOneOrFail(Society, { id: societyId });
    if (!settingKeys(society.settings).includes(key)) throw new KosmoError('SETTING_UNKNOWN', { key, known: settingKeys(society.settings) });
    let before: unknown;
    let after: unknown;
    if (key === 'name' || key === 'portalTitle') {
      const value = raw.trim();
      if (!value || value.length > 200) throw new KosmoError('SETTING_INVALID', { key, reason: '1-200 characters' });
      before = society[key];
      society[key] = value;
      after = value;
    } else {
      const next = structuredClone(society.settings) as Record<string, unknown>;
      const [top, sub] = key.split('.') as [string, string | undefined];
      const holder = sub ? (next[top] as Record<string, unknown>) : next;
      const leaf = sub ?? top;
      before = holder[leaf];
      holder[leaf] = parseValue(key, raw, before);
      const parsed = societySettingsSchema.safeParse(next);
      if (!parsed.success) {
        throw new KosmoError('SETTING_INVALID', { key, reason: parsed.error.issues.map((i) => `${i.path.join('.')}: ${i.message}`).join('; ') });
      }
      if (parsed.data.password.minLength > parsed.data.password.maxLength) {
        throw new KosmoError('SETTING_INVALID', { key, reason: 'password.minLength is above password.maxLength' });
      }
      society.settings = parsed.data;
      after = holder[leaf];
    }
    society.updatedAt = core.clock.now();
    recordAudit(em, core.clock, { societyId, actor, action: 'society.setting', details: { key, before, after } });
    return society;
  });
}
