import { Command } from 'commander';
import type { CliRuntime } from './runtime.js';
import { localizeHelp } from './help-format.js';
import { commanderErrorText } from './commander-errors.js';
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
import { register as backup } from './commands/backup.js';
import { register as client } from './commands/client.js';
import { register as keys } from './commands/keys.js';

/**
 * The whole `kosmo` command tree, every description from the staff-text catalogue in the staff's
 * language. Only commander and the command modules load here: Koa, Ink and React are imported
 * inside the `serve` and `tui` actions, so `kosmo --help` and plain commands start fast
 * (DESIGN.md §6).
 */
export function buildProgram(rt: CliRuntime): Command {
  const program = new Command('kosmo');
  // Help, usage errors and the help option are configured before any subcommand is added: commander
  // copies these settings into each subcommand when it is created.
  localizeHelp(program, rt.lang);
  program
    .configureOutput({ outputError: (text, write) => write(`kosmo: ${rt.t('error.prefix')}: ${commanderErrorText(rt.lang, text)}\n`) })
    .showHelpAfterError()
    .exitOverride()
    .description(rt.t('help.kosmo'))
    .option('--data-dir <dir>', rt.t('help.opt.dataDir'))
    .option('--society <code>', rt.t('help.opt.society'))
    .option('--json', rt.t('help.opt.json'))
    .option('--as <name>', rt.t('help.opt.as'));
  rt.attach(program);
  // import and devices add subcommands to `member`, so they come after it.
  for (const register of [init, migrate, society, member, memberImport, devices, terms, audit, mail, client, keys, backup, serve, tui]) register(program, rt);
  return program;
}
