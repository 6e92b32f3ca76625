import type { Command } from 'commander';
import { usageError, type CliRuntime } from '../runtime.js';
import { localTime } from '../format.js';

function parseTime(flag: string, value: string | undefined): Date | undefined {
  if (value === undefined) return undefined;
  const ok = /^\d{4}-\d{2}-\d{2}([T ]\d{2}:\d{2}(:\d{2})?(\.\d+)?(Z|[+-]\d{2}:?\d{2})?)?$/.test(value);
  const d = new Date(/^\d{4}-\d{2}-\d{2}$/.test(value) ? `${value}T00:00:00+09:00` : value);
  if (!ok || Number.isNaN(d.getTime())) throw usageError(flag, 'a date such as 2026-04-01 or 2026-04-01T09:00:00+09:00');
  return d;
}

export function register(program: Command, rt: CliRuntime): void {
  program
    .command('audit')
    .description('read the audit log, newest first (dates without a time are Japan time)')
    .option('--member <userId>', 'events about this member')
    .option('--staff <name>', 'events by this actor')
    .option('--action <action>', 'e.g. login.password, member.unlock')
    .option('--since <date>', 'from this time')
    .option('--until <date>', 'before this time')
    .option('--limit <n>', 'at most this many', '100')
    .action(
      rt.action(async (o: { member?: string; staff?: string; action?: string; since?: string; until?: string; limit: string }) => {
        const { queryAudit } = await import('../../core/audit/query-audit.js');
        const { findMemberByUserId } = await import('../../core/accounts/find-member.js');
        const limit = Number(o.limit);
        if (!Number.isInteger(limit) || limit < 1 || limit > 10_000) throw usageError('--limit', '1-10000');
        const since = parseTime('--since', o.since);
        const until = parseTime('--until', o.until);
        const core = await rt.openCore();
        const society = await rt.society(core);
        const memberId = o.member ? (await findMemberByUserId(core, society.id, o.member)).id : undefined;
        const events = await queryAudit(core, society.id, { memberId, actor: o.staff, action: o.action, since, until, limit });
        rt.out(events, () =>
          events.length
            ? events
                .map((e) => [localTime(e.at), e.action, e.outcome, `${e.actorType}:${e.actor}`, e.memberUserId ?? '-', e.ip ?? '-', e.details ? JSON.stringify(e.details) : ''].join('  '))
                .join('\n')
            : rt.t('audit.none'),
        );
      }),
    );
}
