import type { CoreContext } from './context.js';
import { migrate as migrateDatabase, pendingMigrations as pendingDatabaseMigrations } from './db/orm.js';

/** `kosmo migrate` / `kosmo init`: applies the schema migrations not yet applied; their names. */
export function migrate(core: CoreContext): Promise<string[]> {
  return migrateDatabase(core.db);
}

/** The schema migrations not yet applied (the portal and staff commands refuse to run on them). */
export function pendingMigrations(core: CoreContext): Promise<string[]> {
  return pendingDatabaseMigrations(core.db);
}
