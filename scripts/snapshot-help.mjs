// Build step: records the top-level `kosmo --help` text from the real commander program, so
// bin/kosmo.js can print it without loading any module (DESIGN.md §6: --help ≤ 1.6 × bare Node).
// test/cli asserts the snapshot equals the live output, so it cannot drift.
import { execFileSync } from 'node:child_process';
import { writeFileSync } from 'node:fs';

const text = execFileSync(process.execPath, ['dist/cli/main.js', '--help'], { env: { ...process.env, COLUMNS: '80' } });
writeFileSync('dist/cli/help.txt', text);
