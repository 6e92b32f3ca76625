import type { Command } from 'commander';
import { usageError, type CliRuntime } from '../runtime.js';
import { localTime } from '../format.js';
import { memberCommand } from './member-command.js';

/** Lost devices (FAQ Q14): `kosmo member devices` and `kosmo member remove-device`. */
export function register(program: Command, rt: CliRuntime): void {
  const member = memberCommand(program);

  member
    .command('devices <userId>')
    .description("list a member's OTP devices and passkeys with names, dates and last use")
    .action(
      rt.action(async (userId: string) => {
        const { showMember } = await import('../../core/accounts/member-detail.js');
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
    .description('remove a lost device (or all): ends the member sessions, audited, notice mailed; a new factor is set up at the next login')
    .option('--device <name>', 'the device name as `kosmo member devices` shows it (otp:… / passkey:… when both kinds share a name)')
    .option('--all', 'remove every OTP device and passkey of the member')
    .option('--yes', 'confirm: the removal cannot be undone')
    .action(
      rt.action(async (userId: string, o: { device?: string; all?: boolean; yes?: boolean }) => {
        if ((o.device === undefined) === !o.all) throw usageError('--device/--all', rt.t('devices.selectOne'));
        if (o.device !== undefined && o.device.trim() === '') throw usageError('--device', rt.t('devices.selectOne'));
        if (!o.yes) throw usageError('--yes', rt.t('devices.yesRequired'));
        const { removeDevices } = await import('../../core/credentials/remove-devices.js');
        const core = await rt.openCore();
        const r = await removeDevices(core, rt.actor(), (await rt.society(core)).id, userId, o.all ? { all: true } : { name: o.device! });
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
