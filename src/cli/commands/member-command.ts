import type { Command } from 'commander';

/**
 * The `member` command group that commands/member.ts registers: other modules (import, devices)
 * add their subcommands to it, so each stays in its own file. main.ts registers member.ts first.
 */
export function memberCommand(program: Command): Command {
  const member = program.commands.find((c) => c.name() === 'member');
  if (!member) throw new TypeError('register commands/member.ts before the modules that extend `kosmo member`');
  return member;
}
