// Developer tool: writes the next migration for both dialects from the entity definitions.
// Usage: npm run build && node scripts/make-migration.mjs <name> <postgres-url>
// The SQLite side diffs against a scratch database migrated to the current head.
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { openDatabase, migrate } from '../dist/core/db/orm.js';

const [name, pgUrl] = process.argv.slice(2);
if (!name || !pgUrl) {
  console.error('usage: node scripts/make-migration.mjs <name> <postgres-url-of-an-empty-database>');
  process.exit(2);
}
for (const [dialect, url] of [
  ['sqlite', `sqlite:${join(mkdtempSync(join(tmpdir(), 'kosmo-mig-')), 'x.sqlite')}`],
  ['postgresql', pgUrl],
]) {
  const db = await openDatabase(url);
  await migrate(db);
  const initial = (await db.orm.migrator.getExecuted()).length === 0;
  const res = initial
    ? await db.orm.migrator.create(resolve(`src/core/db/migrations/${dialect}`), false, true, name)
    : await db.orm.migrator.create(resolve(`src/core/db/migrations/${dialect}`), false, false, name);
  console.log(dialect, res.fileName || '(no changes)');
  await db.close();
}
