import { join } from 'node:path';
import type { Command } from 'commander';
import { usageError, type CliRuntime } from '../runtime.js';

/**
 * `kosmo tui`: Ink and React are loaded here, inside the action, by dynamic import only, so
 * `kosmo --help` and every other command never load them (DESIGN.md §6).
 */
export function register(program: Command, rt: CliRuntime): void {
  program
    .command('tui')
    .description('interactive staff console: search members, support actions, terms, audit trail (Ink)')
    .action(
      rt.action(async () => {
        if (!process.stdin.isTTY || !process.stdout.isTTY) throw usageError('tui', 'kosmo tui needs an interactive terminal (use the member commands in scripts)');
        const core = await rt.openCore();
        const society = await rt.society(core);
        const { runTui } = await import('../../tui/run.js');
        await runTui({ core, society, actor: rt.actor(), lang: rt.lang, logPath: join(core.config.dataDir, 'kosmo-tui.log') });
      }),
    );
}
