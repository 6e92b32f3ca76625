import { societySettingsSchema } from '../society/settings.js';
import type { StoreQueries } from '../db/store/store.js';
import type { LockoutPolicy } from './throttle-store.js';

/** The society's lockout numbers (settings JSON: text on SQLite, jsonb on PostgreSQL). */
export async function lockoutPolicyOf(store: StoreQueries, societyId: number): Promise<LockoutPolicy> {
  const rows = await store.all<{ settings: unknown }>(`SELECT settings FROM society WHERE id = :id`, { id: societyId });
  const raw = rows[0]?.settings;
  const settings = typeof raw === 'string' ? (JSON.parse(raw) as unknown) : raw;
  return societySettingsSchema.parse(settings ?? {}).lockout;
}
