import type { CoreContext } from '../context.js';

/** Whether the database answers (health check): one trivial statement. */
export async function databaseReachable(core: CoreContext): Promise<boolean> {
  await core.db.store.all('SELECT 1 AS ok');
  return true;
}
