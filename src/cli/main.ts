import { CommanderError } from 'commander';
import { CliRuntime } from './runtime.js';
import { EXIT } from './exit-codes.js';
import { buildProgram } from './program.js';
import { commanderErrorText } from './commander-errors.js';

const rt = new CliRuntime();
const program = buildProgram(rt);

try {
  await program.parseAsync(process.argv);
} catch (err) {
  if (err instanceof CommanderError) {
    // --help and --version are not failures; usage errors exit 2 like any bad input.
    process.exitCode = err.exitCode === 0 ? 0 : EXIT.invalidInput;
    // Commander wrote the text to stderr; with --json a script reads stdout, so it gets the error object.
    if (err.exitCode !== 0 && (rt.globals().json || process.argv.slice(2).includes('--json'))) {
      process.stdout.write(JSON.stringify({ error: { code: 'USAGE', message: commanderErrorText(rt.lang, err.message) } }) + '\n');
    }
  } else {
    rt.fail(err);
  }
}
