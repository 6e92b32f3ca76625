import type { Command } from 'commander';
import type { CliRuntime } from '../runtime.js';

export function register(program: Command, rt: CliRuntime): void {
  program
    .command('migrate')
    .description(rt.t('help.migrate'))
    .action(
      rt.action(async () => {
        const { migrate, ensureOidcKeys } = await import('../../core/index.js');
        const core = await rt.openCore({ allowPending: true });
        const applied = await migrate(core);
        // Every society gets its single sign-on keys (sealed with the secret key) if it has none yet.
        await ensureOidcKeys(core);
        rt.out({ applied }, () => (applied.length ? rt.t('migrate.applied', { names: applied.join(', ') }) : rt.t('migrate.none')));
      }),
    );
}
