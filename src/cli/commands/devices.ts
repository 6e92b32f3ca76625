import type { Command } from 'commander';
import { usageError, type CliRuntime } from '../runtime.js';
import { localTime } from '../format.js';
import { memberCommand } from './member-command.js';

/** Lost devices (FAQ Q14): `kosmo member devices` and `kosmo member remove-device`. */
export function register(program: Command, rt: CliRuntime): void {
  const member = memberCommand(program);

  member
    .command('devices <userId>')
    .description(rt.t('help.member.devices'))
    .action(
      rt.action(async (userId: string) => {
        const { showMember } = await import('../../core/index.js');
        const core = await rt.openCore();
        const d = await showMember(core, (await rt.society(core)).id, userId);
        rt.out({ userId: d.userId, devices: d.devices }, () =>
          d.devices.length === 0
            ? rt.t('devices.none', { userId: d.userId })
            : d.devices
                .map((x) =>
                  [
                    `${x.kind}:${x.name}`,
                    x.kind === 'otp' ? rt.t('devices.otp') : rt.t('devices.passkey'),
                    `${rt.t('devices.created')} ${localTime(x.createdAt)}`,
                    `${rt.t('devices.lastUsed')} ${localTime(x.lastUsedAt)}`,
                  ].join('  '),
                )
                .join('\n'),
        );
      }),
    );

  member
    .command('remove-device <userId>')
    .description(rt.t('help.member.removeDevice'))
    .option('--device <name>', rt.t('help.member.removeDevice.device'))
    .option('--all', rt.t('help.member.removeDevice.all'))
    .option('--yes', rt.t('help.member.removeDevice.yes'))
    .action(
      rt.action(async (userId: string, o: { device?: string; all?: boolean; yes?: boolean }) => {
        if ((o.device === undefined) === !o.all) throw usageError('--device/--all', 'DEVICE_SELECT_ONE');
        if (o.device !== undefined && o.device.trim() === '') throw usageError('--device', 'DEVICE_SELECT_ONE');
        if (!o.yes) throw usageError('--yes', 'YES_REQUIRED');
        const { removeDevices } = await import('../../core/index.js');
        const core = await rt.openCore();
        const r = await removeDevices(core, rt.actor(), { societyId: (await rt.society(core)).id, userId, devices: o.all ? { all: true } : { name: o.device! } });
        rt.out(r, () =>
          r.removed.length === 0
            ? rt.t('devices.nothing', { userId: r.userId })
            : [
                rt.t('devices.removed', { userId: r.userId, names: r.removed.map((x) => `${x.kind}:${x.name}`).join(', '), sessions: r.sessionsEnded }),
                ...(r.notified ? [rt.t('devices.notified')] : []),
                ...(r.remaining === 0 ? [rt.t('devices.nextLogin')] : []),
              ].join('\n'),
        );
      }),
    );
}
