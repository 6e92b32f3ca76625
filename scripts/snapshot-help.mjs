// Build step: records the top-level `kosmo --help` text from the real commander program, once per
// staff language, so bin/kosmo-start.js can print it without loading any module (DESIGN.md §6:
// --help ≤ 1.6 × bare Node). test/cli asserts each snapshot equals the live output, so it cannot drift.
import { execFileSync } from 'node:child_process';
import { rmSync, writeFileSync } from 'node:fs';

for (const lang of ['ja', 'en']) {
  const text = execFileSync(process.execPath, ['dist/cli/main.js', '--help'], { env: { ...process.env, COLUMNS: '80', KOSMO_LANG: lang } });
  writeFileSync(`dist/cli/help.${lang}.txt`, text);
}
// The single-language snapshot of earlier builds would be stale.
rmSync('dist/cli/help.txt', { force: true });
