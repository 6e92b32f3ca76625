import { Command, CommanderError } from 'commander';
import { CliRuntime } from './runtime.js';
import { EXIT } from './exit-codes.js';
import { register as init } from './commands/init.js';
import { register as migrate } from './commands/migrate.js';
import { register as society } from './commands/society.js';
import { register as member } from './commands/member.js';
import { register as terms } from './commands/terms.js';
import { register as audit } from './commands/audit.js';
import { register as mail } from './commands/mail.js';
import { register as serve } from './commands/serve.js';
import { register as memberImport } from './commands/import.js';
import { register as devices } from './commands/devices.js';
import { register as tui } from './commands/tui.js';

// Only commander and the command modules load here: Koa, Ink and React are imported inside the
// `serve` and `tui` actions, so `kosmo --help` and plain commands start fast (DESIGN.md §6).
const rt = new CliRuntime();
const program = new Command('kosmo')
  .description('KOSMO — member portal and staff toolkit for health-insurance societies')
  .option('--data-dir <dir>', 'data directory (KOSMO_DATA_DIR, default ./kosmo-data)')
  .option('--society <code>', 'society code (needed only when the database holds several)')
  .option('--json', 'machine-readable output')
  .option('--as <name>', 'staff name recorded in the audit log (KOSMO_STAFF, default: OS user)')
  .showHelpAfterError()
  .exitOverride();
rt.attach(program);

// import and devices add subcommands to `member`, so they come after it.
for (const register of [init, migrate, society, member, memberImport, devices, terms, audit, mail, serve, tui]) register(program, rt);

try {
  await program.parseAsync(process.argv);
} catch (err) {
  if (err instanceof CommanderError) {
    // --help and --version are not failures; usage errors exit 2 like any bad input.
    process.exitCode = err.exitCode === 0 ? 0 : EXIT.invalidInput;
    // Commander wrote the text to stderr; with --json a script reads stdout, so it gets the error object.
    if (err.exitCode !== 0 && (rt.globals().json || process.argv.slice(2).includes('--json'))) {
      process.stdout.write(JSON.stringify({ error: { code: 'USAGE', message: err.message.replace(/^error: /, '') } }) + '\n');
    }
  } else {
    rt.fail(err);
  }
}
