import type { Command } from 'commander';
import { usageError, type CliRuntime } from '../runtime.js';
import { localTime, memberDetailText, memberLine } from '../format.js';

interface IssueOptions {
  name: string;
  kana: string;
  birthDate: string;
  email?: string;
  cardSymbol?: string;
  cardNumber?: string;
  cardBranch?: string;
  relationship: string;
}

export function register(program: Command, rt: CliRuntime): void {
  const member = program.command('member').description(rt.t('help.member'));

  member
    .command('issue')
    .description(rt.t('help.member.issue'))
    .requiredOption('--name <name>', rt.t('help.member.issue.name'))
    .requiredOption('--kana <kana>', rt.t('help.member.issue.kana'))
    .requiredOption('--birth-date <date>', rt.t('help.member.issue.birthDate'))
    .option('--email <address>', rt.t('help.member.issue.email'))
    .option('--card-symbol <symbol>', rt.t('help.member.issue.cardSymbol'))
    .option('--card-number <number>', rt.t('help.member.issue.cardNumber'))
    .option('--card-branch <branch>', rt.t('help.member.issue.cardBranch'))
    .option('--relationship <self|family>', rt.t('help.member.issue.relationship'), 'self')
    .option('--mail', rt.t('help.member.issue.mail'))
    .action(
      rt.action(async (o: IssueOptions & { mail?: boolean }) => {
        const { issueMember } = await import('../../core/index.js');
        const core = await rt.openCore();
        const society = await rt.society(core);
        const r = await issueMember(core, rt.actor(), { societyId: society.id, member: o, mail: o.mail });
        const expiresAt = r.member.provisionalExpiresAt?.toISOString() ?? null;
        // Mailed credentials are not printed as well: the password exists in one place only.
        if (o.mail) {
          rt.out({ userId: r.userId, name: r.member.name, expiresAt, mailed: true }, () =>
            [rt.t('member.mailed', { email: r.member.email }), `${rt.t('member.userId')}: ${r.userId}`, `${rt.t('member.expires')}: ${localTime(expiresAt)}`].join('\n'),
          );
          return;
        }
        rt.out({ userId: r.userId, password: r.password, name: r.member.name, expiresAt, mailed: false }, () =>
          [rt.t('member.issued'), `${rt.t('member.userId')}: ${r.userId}`, `${rt.t('member.password')}: ${r.password}`, `${rt.t('member.expires')}: ${localTime(expiresAt)}`].join('\n'),
        );
      }),
    );

  member
    .command('show <userId>')
    .description(rt.t('help.member.show'))
    .action(
      rt.action(async (userId: string) => {
        const { showMember } = await import('../../core/index.js');
        const core = await rt.openCore();
        const d = await showMember(core, (await rt.society(core)).id, userId);
        rt.out(d, () => memberDetailText(rt, d));
      }),
    );

  member
    .command('search <text>')
    .description(rt.t('help.member.search'))
    .option('--limit <n>', rt.t('help.member.search.limit'), '50')
    .action(
      rt.action(async (text: string, o: { limit: string }) => {
        const { searchMembers } = await import('../../core/index.js');
        const limit = Number(o.limit);
        if (!Number.isInteger(limit) || limit < 1 || limit > 500) throw usageError('--limit', 'RANGE', { min: 1, max: 500 });
        const core = await rt.openCore();
        const rows = await searchMembers(core, (await rt.society(core)).id, text, limit);
        const list = rows.map((m) => ({ userId: m.userId, name: m.name, kana: m.kana, birthDate: m.birthDate, status: m.status, email: m.email ?? null, cardNumber: m.cardNumber ?? null }));
        rt.out(list, () => (list.length ? list.map((m) => memberLine(rt.lang, m)).join('\n') : rt.t('member.none')));
      }),
    );

  member
    .command('unlock <userId>')
    .description(rt.t('help.member.unlock'))
    .action(
      rt.action(async (userId: string) => {
        const { unlockMember } = await import('../../core/index.js');
        const core = await rt.openCore();
        const r = await unlockMember(core, rt.actor(), { societyId: (await rt.society(core)).id, userId });
        rt.out({ userId, ...r }, () => rt.t(r.wasLocked ? 'member.unlocked' : 'member.notLocked', { userId }));
      }),
    );

  for (const [name, disabled] of [
    ['disable', true],
    ['enable', false],
  ] as const) {
    member
      .command(`${name} <userId>`)
      .description(rt.t(disabled ? 'help.member.disable' : 'help.member.enable'))
      .action(
        rt.action(async (userId: string) => {
          const { setMemberDisabled } = await import('../../core/index.js');
          const core = await rt.openCore();
          const r = await setMemberDisabled(core, rt.actor(), { societyId: (await rt.society(core)).id, userId, disabled });
          rt.out({ userId, ...r }, () => rt.t(r.changed ? (disabled ? 'member.disabled' : 'member.enabled') : 'member.unchanged', { userId }));
        }),
      );
  }

  member
    .command('rename <userId>')
    .description(rt.t('help.member.rename'))
    .option('--name <name>', rt.t('help.member.rename.name'))
    .option('--kana <kana>', rt.t('help.member.rename.kana'))
    .action(
      rt.action(async (userId: string, o: { name?: string; kana?: string }) => {
        const { renameMember } = await import('../../core/index.js');
        if (o.name === undefined && o.kana === undefined) throw usageError('--name/--kana', 'NAME_OR_KANA');
        const core = await rt.openCore();
        const m = await renameMember(core, rt.actor(), { societyId: (await rt.society(core)).id, userId, name: o.name, kana: o.kana });
        rt.out({ userId: m.userId, name: m.name, kana: m.kana }, () => rt.t('member.renamed', { userId: m.userId, name: m.name, kana: m.kana }));
      }),
    );

  member
    .command('reissue <userId>')
    .description(rt.t('help.member.reissue'))
    .option('--mail', rt.t('help.member.reissue.mail'))
    .action(
      rt.action(async (userId: string, o: { mail?: boolean }) => {
        const { reissuePassword } = await import('../../core/index.js');
        const core = await rt.openCore();
        const r = await reissuePassword(core, rt.actor(), { societyId: (await rt.society(core)).id, userId, mail: o.mail });
        if (r.mailed) {
          rt.out({ userId: r.userId, mailed: true }, () => rt.t('member.reissuedMailed', { userId: r.userId }));
          return;
        }
        rt.out({ userId: r.userId, password: r.password }, () =>
          [rt.t('member.reissued', { userId: r.userId }), `${rt.t('member.userId')}: ${r.userId}`, `${rt.t('member.password')}: ${r.password}`].join('\n'),
        );
      }),
    );
}
