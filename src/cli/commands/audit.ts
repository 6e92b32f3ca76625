import type { Command } from 'commander';
import { usageError, type CliRuntime } from '../runtime.js';
import { localTime } from '../format.js';
import { actorTypeText, outcomeText } from '../../staff-text/format.js';

const FORMATS = ['csv', 'jsonl'] as const;
type ExportFormat = (typeof FORMATS)[number];

interface AuditOptions {
  member?: string;
  staff?: string;
  action?: string;
  since?: string;
  until?: string;
  limit?: string;
  format?: string;
  out?: string;
  force?: boolean;
}

function parseTime(flag: string, value: string | undefined): Date | undefined {
  if (value === undefined) return undefined;
  const ok = /^\d{4}-\d{2}-\d{2}([T ]\d{2}:\d{2}(:\d{2})?(\.\d+)?(Z|[+-]\d{2}:?\d{2})?)?$/.test(value);
  const d = new Date(/^\d{4}-\d{2}-\d{2}$/.test(value) ? `${value}T00:00:00+09:00` : value);
  if (!ok || Number.isNaN(d.getTime())) throw usageError(flag, 'DATE_TIME');
  return d;
}

function parseLimit(raw: string | undefined, fallback: number | undefined, max: number): number | undefined {
  if (raw === undefined) return fallback;
  const limit = Number(raw);
  if (!Number.isInteger(limit) || limit < 1 || limit > max) throw usageError('--limit', 'RANGE', { min: 1, max });
  return limit;
}

/**
 * `kosmo audit`: the newest events (100 unless --limit), or with --format every matching event,
 * oldest first, streamed page by page to --out or standard output (docs/operations.md).
 */
export function register(program: Command, rt: CliRuntime): void {
  program
    .command('audit')
    .description(rt.t('help.audit'))
    .option('--member <userId>', rt.t('help.audit.member'))
    .option('--staff <name>', rt.t('help.audit.staff'))
    .option('--action <action>', rt.t('help.audit.action'))
    .option('--since <date>', rt.t('help.audit.since'))
    .option('--until <date>', rt.t('help.audit.until'))
    .option('--limit <n>', rt.t('help.audit.limit'))
    .option('--format <csv|jsonl>', rt.t('help.audit.format'))
    .option('--out <file>', rt.t('help.audit.out'))
    .option('--force', rt.t('help.audit.force'))
    .action(
      rt.action(async (o: AuditOptions) => {
        if (o.format !== undefined && !FORMATS.includes(o.format as ExportFormat)) throw usageError('--format', 'EXPORT_FORMAT');
        if (o.format === undefined && o.out !== undefined) throw usageError('--out', 'EXPORT_FORMAT');
        if (o.format !== undefined && o.out === undefined && rt.globals().json) throw usageError('--json', 'EXPORT_JSON_STDOUT');
        const limit = parseLimit(o.limit, o.format ? undefined : 100, o.format ? Number.MAX_SAFE_INTEGER : 10_000);
        const since = parseTime('--since', o.since);
        const until = parseTime('--until', o.until);
        const { memberIdOf } = await import('../../core/index.js');
        const core = await rt.openCore();
        const society = await rt.society(core);
        const memberId = o.member ? await memberIdOf(core, society.id, o.member) : undefined;
        const query = { memberId, actor: o.staff, action: o.action, since, until, limit };

        if (o.format !== undefined) {
          const format = o.format as ExportFormat;
          const [{ auditPages, auditExportChunks }, { stringify }, { streamToFile, streamToStdout }] = await Promise.all([
            import('../../core/index.js'),
            import('csv-stringify/sync'),
            import('../stream-out.js'),
          ]);
          const chunks = auditExportChunks(format, (rows) => stringify(rows, { record_delimiter: 'windows' }));
          let rows = 0;
          async function* text(): AsyncGenerator<string> {
            yield chunks.head;
            for await (const page of auditPages(core, society.id, query)) {
              rows += page.length;
              yield chunks.page(page);
            }
          }
          if (o.out === undefined) return streamToStdout(text());
          const path = await streamToFile(o.out, text(), o.force);
          rt.out({ format, out: path, rows }, () => rt.t('audit.exported', { rows, path, format }));
          return;
        }

        const { queryAudit } = await import('../../core/index.js');
        const events = await queryAudit(core, society.id, query);
        rt.out(events, () =>
          events.length
            ? events
                .map((e) =>
                  [
                    localTime(e.at),
                    e.action,
                    outcomeText(rt.lang, e.outcome),
                    `${actorTypeText(rt.lang, e.actorType)}:${e.actor}`,
                    e.memberUserId ?? '-',
                    e.ip ?? '-',
                    e.details ? JSON.stringify(e.details) : '',
                  ].join('  '),
                )
                .join('\n')
            : rt.t('audit.none'),
        );
      }),
    );
}
