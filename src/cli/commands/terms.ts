import { readFileSync } from 'node:fs';
import type { Command } from 'commander';
import { usageError, type CliRuntime } from '../runtime.js';
import { KosmoError } from '../../core/errors.js';
import { localTime } from '../format.js';

export function register(program: Command, rt: CliRuntime): void {
  const terms = program.command('terms').description('publish and follow the terms of use (利用規約)');
  terms
    .command('publish <file>')
    .description('publish a new terms version from a UTF-8 text file; members accept it at their next login')
    .option('--title <title>', 'title shown above the text', '利用規約')
    .action(
      rt.action(async (file: string, o: { title: string }) => {
        const { publishTerms } = await import('../../core/terms/publish-terms.js');
        let body: string;
        try {
          body = readFileSync(file, 'utf8');
        } catch {
          throw new KosmoError('FILE_UNREADABLE', { file });
        }
        const core = await rt.openCore();
        const v = await publishTerms(core, rt.actor(), (await rt.society(core)).id, { title: o.title, body });
        rt.out({ version: v.version, title: v.title, publishedAt: v.publishedAt.toISOString() }, () => rt.t('terms.published', { version: v.version }));
      }),
    );
  terms
    .command('list')
    .description('list published versions with how many members accepted each')
    .action(
      rt.action(async () => {
        const { listTerms } = await import('../../core/terms/list-terms.js');
        const core = await rt.openCore();
        const list = await listTerms(core, (await rt.society(core)).id);
        rt.out(list, () => (list.length ? list.map((v) => `v${v.version}  ${localTime(v.publishedAt)}  ${v.title}  (${v.publishedBy}, ${v.acceptedBy})`).join('\n') : rt.t('terms.none')));
      }),
    );
  terms
    .command('pending')
    .description('members who have not accepted the current version')
    .option('--limit <n>', 'list at most this many', '100')
    .action(
      rt.action(async (o: { limit: string }) => {
        const { membersPendingTerms } = await import('../../core/terms/list-terms.js');
        const limit = Number(o.limit);
        if (!Number.isInteger(limit) || limit < 1 || limit > 100_000) throw usageError('--limit', '1-100000');
        const core = await rt.openCore();
        const r = await membersPendingTerms(core, (await rt.society(core)).id, limit);
        rt.out(r, () =>
          r.version === null ? rt.t('terms.none') : [rt.t('terms.pending', { version: r.version, total: r.total }), ...r.members.map((m) => `${m.userId}  ${m.name} (${m.kana})`)].join('\n'),
        );
      }),
    );
}
