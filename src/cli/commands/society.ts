import type { Command } from 'commander';
import type { CliRuntime } from '../runtime.js';
import type { SocietyRow } from '../../core/db/entities/index.js';

function view(s: SocietyRow) {
  return { code: s.code, name: s.name, portalTitle: s.portalTitle, settings: s.settings };
}

export function register(program: Command, rt: CliRuntime): void {
  const society = program.command('society').description('show and change society settings');
  society
    .command('show')
    .description('show the society and its settings')
    .action(
      rt.action(async () => {
        const core = await rt.openCore();
        const s = await rt.society(core);
        rt.out(view(s), () => JSON.stringify(view(s), null, 2));
      }),
    );
  society
    .command('set <key> <value>')
    .description('set one setting, e.g. password.minLength 10, hostNames portal.example.jp, serviceMenu \'[{"title":"…","url":"…"}]\'')
    .action(
      rt.action(async (key: string, value: string) => {
        const { updateSocietySetting } = await import('../../core/society/update-society-setting.js');
        const core = await rt.openCore();
        const s = await rt.society(core);
        const updated = await updateSocietySetting(core, rt.actor(), s.id, key, value);
        rt.out(view(updated), () => rt.t('society.set', { key }));
      }),
    );
}
