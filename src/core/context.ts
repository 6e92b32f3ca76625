import type { Database } from './db/orm.js';
import type { Clock } from './clock.js';
import type { Random } from './random.js';
import type { PasswordHasher } from './credentials/password/hasher.js';
import type { SecretBox } from './crypto/secret-box.js';
import type { KosmoConfig } from './config.js';
import { systemClock } from './clock.js';
import { cryptoRandom } from './random.js';
import { createArgon2Hasher } from './credentials/password/hasher.js';
import { createSecretBox } from './crypto/secret-box.js';
import { openDatabase } from './db/orm.js';
import { requireSecretKey } from './config.js';

/** Everything a core service needs, injected: front ends build one and pass it to every call. */
export interface CoreContext {
  db: Database;
  config: KosmoConfig;
  clock: Clock;
  random: Random;
  hasher: PasswordHasher;
  secretBox: SecretBox;
}

export async function createCore(config: KosmoConfig, overrides: Partial<Omit<CoreContext, 'config'>> = {}): Promise<CoreContext> {
  const secretBox = overrides.secretBox ?? createSecretBox(requireSecretKey(config));
  const db = overrides.db ?? (await openDatabase(config.databaseUrl));
  return {
    db,
    config,
    clock: overrides.clock ?? systemClock,
    random: overrides.random ?? cryptoRandom,
    hasher: overrides.hasher ?? createArgon2Hasher(),
    secretBox,
  };
}

/** Closes what the core holds open (database connections); the front end calls it once at exit. */
export async function closeCore(core: CoreContext): Promise<void> {
  await core.db.close();
}
