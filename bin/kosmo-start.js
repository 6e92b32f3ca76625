// Loaded by bin/kosmo.js once the Node.js version is known to be new enough.
import { readFileSync } from 'node:fs';
import module from 'node:module';

// `kosmo --help` prints the snapshot the build took of commander's own help, in the staff's
// language (scripts/snapshot-help.mjs: dist/cli/help.ja.txt, help.en.txt): the command staff run
// most often to find their way stays at bare-Node start-up time.
const args = process.argv.slice(2);
if (args.length === 1 && (args[0] === '--help' || args[0] === '-h')) {
  const lang = (process.env.KOSMO_LANG ?? '').toLowerCase().startsWith('en') ? 'en' : 'ja';
  try {
    process.stdout.write(readFileSync(new URL(`../dist/cli/help.${lang}.txt`, import.meta.url)));
    process.exit(0);
  } catch {
    // no snapshot (a build without it): fall through to commander
  }
}
// Reuse V8's compiled code between runs (Node ≥ 22.1): staff run many short commands.
module.enableCompileCache?.();
await import('../dist/cli/main.js');
