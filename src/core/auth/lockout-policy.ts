import { societySettingsSchema } from '../society/settings.js';
import type { StoreQueries } from '../db/store/store.js';
import type { LockoutPolicy } from './throttle-store.js';

const lockoutSchema = societySettingsSchema.shape.lockout;

/**
 * The society's lockout numbers, read afresh for every attempt (a staff change applies to the very
 * next one, in every process). Only the `lockout` member of the settings JSON is read and
 * validated: the whole settings object (FAQ, menus, …) parsed per attempt cost ~¼ ms of the event
 * loop per login.
 */
export async function lockoutPolicyOf(store: StoreQueries, societyId: number): Promise<LockoutPolicy> {
  const rows = await store.all<{ lockout: unknown }>(`SELECT ${store.sql.jsonMember('settings', 'lockout')} AS lockout FROM society WHERE id = :id`, { id: societyId });
  const raw = rows[0]?.lockout;
  return lockoutSchema.parse(typeof raw === 'string' ? (JSON.parse(raw) as unknown) : (raw ?? undefined));
}
