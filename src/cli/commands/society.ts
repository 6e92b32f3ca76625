import type { Command } from 'commander';
import type { CliRuntime } from '../runtime.js';
import type { SocietyView } from '../../core/index.js';

function view(s: SocietyView) {
  return { code: s.code, name: s.name, portalTitle: s.portalTitle, settings: s.settings };
}

function summary(s: SocietyView) {
  return { code: s.code, name: s.name, portalTitle: s.portalTitle, hostNames: s.settings.hostNames, publicUrl: s.settings.publicUrl };
}

/** `--host a --host b,c`: every value, comma-separated ones split. */
function collectHosts(value: string, previous: string[] = []): string[] {
  return [...previous, ...value.split(',')];
}

export function register(program: Command, rt: CliRuntime): void {
  const society = program.command('society').description(rt.t('help.society'));
  society
    .command('show')
    .description(rt.t('help.society.show'))
    .action(
      rt.action(async () => {
        const core = await rt.openCore();
        const s = await rt.society(core);
        rt.out(view(s), () => JSON.stringify(view(s), null, 2));
      }),
    );
  society
    .command('list')
    .description(rt.t('help.society.list'))
    .action(
      rt.action(async () => {
        const { listSocieties } = await import('../../core/index.js');
        const core = await rt.openCore();
        const list = (await listSocieties(core)).map(summary);
        rt.out(list, () => [rt.t('society.listHeader'), ...list.map((s) => [s.code, s.name, s.portalTitle, s.hostNames.length ? s.hostNames.join(',') : '-'].join('  '))].join('\n'));
      }),
    );
  society
    .command('add')
    .description(rt.t('help.society.add'))
    .requiredOption('--code <code>', rt.t('help.society.add.code'))
    .requiredOption('--name <name>', rt.t('help.society.add.name'))
    .option('--portal-title <title>', rt.t('help.society.add.portalTitle'))
    .option('--host <name>', rt.t('help.society.add.host'), collectHosts)
    .action(
      rt.action(async (o: { code: string; name: string; portalTitle?: string; host?: string[] }) => {
        const { addSociety } = await import('../../core/index.js');
        const core = await rt.openCore();
        const s = await addSociety(core, rt.actor(), { code: o.code, name: o.name, portalTitle: o.portalTitle, hostNames: o.host ?? [] });
        rt.out(summary(s), () =>
          [rt.t('society.added', { name: s.name, code: s.code }), s.settings.hostNames.length ? rt.t('society.hosts', { hosts: s.settings.hostNames }) : rt.t('society.noHosts')].join('\n'),
        );
      }),
    );
  society
    .command('set <key> <value>')
    .description(rt.t('help.society.set'))
    .action(
      rt.action(async (key: string, value: string) => {
        const { updateSocietySetting } = await import('../../core/index.js');
        const core = await rt.openCore();
        const s = await rt.society(core);
        const updated = await updateSocietySetting(core, rt.actor(), { societyId: s.id, key, value });
        rt.out(view(updated), () => rt.t('society.set', { key }));
      }),
    );
  society
    .command('unset <key>')
    .description(rt.t('help.society.unset'))
    .action(
      rt.action(async (key: string) => {
        const { resetSocietySetting } = await import('../../core/index.js');
        const core = await rt.openCore();
        const s = await rt.society(core);
        const updated = await resetSocietySetting(core, rt.actor(), { societyId: s.id, key });
        rt.out(view(updated), () => rt.t('society.unset', { key }));
      }),
    );
}
