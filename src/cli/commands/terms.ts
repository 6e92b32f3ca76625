import type { Command } from 'commander';
import { usageError, type CliRuntime } from '../runtime.js';
import { localTime } from '../format.js';

export function register(program: Command, rt: CliRuntime): void {
  const terms = program.command('terms').description(rt.t('help.terms'));
  terms
    .command('publish <file>')
    .description(rt.t('help.terms.publish'))
    .option('--title <title>', rt.t('help.terms.publish.title'), '利用規約')
    .action(
      rt.action(async (file: string, o: { title: string }) => {
        const { publishTerms, readTermsFile } = await import('../../core/index.js');
        // The bytes as they are: the core refuses a file that is too large, not UTF-8, binary or empty.
        const body = await readTermsFile(file);
        const core = await rt.openCore();
        const v = await publishTerms(core, rt.actor(), { societyId: (await rt.society(core)).id, title: o.title, body, file });
        rt.out({ version: v.version, title: v.title, publishedAt: v.publishedAt.toISOString() }, () => rt.t('terms.published', { version: v.version }));
      }),
    );
  terms
    .command('list')
    .description(rt.t('help.terms.list'))
    .action(
      rt.action(async () => {
        const { listTerms } = await import('../../core/index.js');
        const core = await rt.openCore();
        const list = await listTerms(core, (await rt.society(core)).id);
        rt.out(list, () => (list.length ? list.map((v) => `v${v.version}  ${localTime(v.publishedAt)}  ${v.title}  (${v.publishedBy}, ${v.acceptedBy})`).join('\n') : rt.t('terms.none')));
      }),
    );
  terms
    .command('pending')
    .description(rt.t('help.terms.pending'))
    .option('--limit <n>', rt.t('help.terms.pending.limit'), '100')
    .action(
      rt.action(async (o: { limit: string }) => {
        const { membersPendingTerms } = await import('../../core/index.js');
        const limit = Number(o.limit);
        if (!Number.isInteger(limit) || limit < 1 || limit > 100_000) throw usageError('--limit', 'RANGE', { min: 1, max: 100_000 });
        const core = await rt.openCore();
        const r = await membersPendingTerms(core, (await rt.society(core)).id, limit);
        rt.out(r, () =>
          r.version === null ? rt.t('terms.none') : [rt.t('terms.pending', { version: r.version, total: r.total }), ...r.members.map((m) => `${m.userId}  ${m.name} (${m.kana})`)].join('\n'),
        );
      }),
    );
}
