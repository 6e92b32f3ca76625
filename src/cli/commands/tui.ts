import { join } from 'node:path';
import type { Command } from 'commander';
import type { CliRuntime } from '../runtime.js';
import { EXIT } from '../exit-codes.js';

/**
 * `kosmo tui`: Ink and React are loaded here, inside the action, by dynamic import only, so
 * `kosmo --help` and every other command never load them (DESIGN.md §6).
 */
export function register(program: Command, rt: CliRuntime): void {
  program
    .command('tui')
    .description(rt.t('help.tui'))
    .action(
      rt.action(async () => {
        if (!process.stdin.isTTY || !process.stdout.isTTY) {
          const message = rt.t('reason.NEEDS_TERMINAL');
          if (rt.globals().json) process.stdout.write(JSON.stringify({ error: { code: 'INPUT_INVALID', message } }) + '\n');
          else process.stderr.write(`kosmo: ${rt.t('error.prefix')}: ${message}\n`);
          process.exitCode = EXIT.invalidInput;
          return;
        }
        const core = await rt.openCore();
        const society = await rt.society(core);
        const { runTui } = await import('../../tui/run.js');
        await runTui({ core, society, actor: rt.actor(), lang: rt.lang, logPath: join(core.config.dataDir, 'kosmo-tui.log') });
      }),
    );
}
