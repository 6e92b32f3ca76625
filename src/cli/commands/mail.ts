import type { Command } from 'commander';
import { usageError, type CliRuntime } from '../runtime.js';
import { localTime } from '../format.js';
import { mailStatusText } from '../../staff-text/format.js';

const STATUSES = ['pending', 'sent', 'failed'] as const;

export function register(program: Command, rt: CliRuntime): void {
  const mail = program.command('mail').description(rt.t('help.mail'));
  mail
    .command('list')
    .description(rt.t('help.mail.list'))
    .option('--status <status>', rt.t('help.mail.list.status'))
    .option('--limit <n>', rt.t('help.mail.list.limit'), '50')
    .action(
      rt.action(async (o: { status?: string; limit: string }) => {
        const limit = Number(o.limit);
        if (!Number.isInteger(limit) || limit < 1 || limit > 1000) throw usageError('--limit', 'RANGE', { min: 1, max: 1000 });
        if (o.status !== undefined && !STATUSES.includes(o.status as never)) throw usageError('--status', 'MAIL_STATUS');
        const { listMail } = await import('../../core/index.js');
        const core = await rt.openCore();
        const list = await listMail(core, (await rt.society(core)).id, { status: o.status as (typeof STATUSES)[number] | undefined, limit });
        rt.out(list, () =>
          list.length
            ? list
                .map((m) => [String(m.id).padStart(5), mailStatusText(rt.lang, m.status), localTime(m.createdAt.toISOString()), m.to, m.subject, m.lastError ? `(${m.lastError})` : ''].join('  '))
                .join('\n')
            : rt.t('mail.none'),
        );
      }),
    );
  mail
    .command('show <id>')
    .description(rt.t('help.mail.show'))
    .action(
      rt.action(async (id: string) => {
        if (!/^\d+$/.test(id)) throw usageError('id', 'MAIL_ID');
        const { showMail } = await import('../../core/index.js');
        const core = await rt.openCore();
        const m = await showMail(core, (await rt.society(core)).id, Number(id));
        rt.out(m, () =>
          [
            `#${m.id} ${mailStatusText(rt.lang, m.status)} ${m.kind}`,
            `${rt.t('mail.to')}: ${m.to}`,
            `${rt.t('mail.subject')}: ${m.subject}`,
            `${localTime(m.createdAt.toISOString())}${m.sentAt ? ` → ${localTime(m.sentAt.toISOString())}` : ''}`,
            m.outboxFile ? `${rt.t('mail.file')}: ${m.outboxFile}` : '',
            '',
            m.bodyCleared ? rt.t('mail.cleared') : m.bodyText,
          ].join('\n'),
        );
      }),
    );
  mail
    .command('deliver')
    .description(rt.t('help.mail.deliver'))
    .action(
      rt.action(async () => {
        const { deliverPendingMail, createMailTransport } = await import('../../core/index.js');
        const core = await rt.openCore();
        const transport = createMailTransport(core.config);
        try {
          const r = await deliverPendingMail(core, transport, { limit: 1000 });
          rt.out(r, () => rt.t('mail.delivered', { ...r }));
        } finally {
          await transport.close();
        }
      }),
    );
}
