import type { Command } from 'commander';
import type { CliRuntime } from '../runtime.js';
import { localTime } from '../format.js';

/**
 * The single sign-on's signing keys (docs/sso.md): `kosmo keys list` (ids and dates only, never
 * key material) and `kosmo keys rotate` (a new key signs; the old one verifies until its tokens
 * expire). Audited by the core.
 */
export function register(program: Command, rt: CliRuntime): void {
  const keys = program.command('keys').description(rt.t('help.keys'));

  keys
    .command('list')
    .description(rt.t('help.keys.list'))
    .action(
      rt.action(async () => {
        const { listOidcKeys } = await import('../../core/index.js');
        const core = await rt.openCore();
        const list = (await listOidcKeys(core, (await rt.society(core)).id)).filter((k) => k.use === 'sig');
        rt.out(
          { keys: list },
          () =>
            list
              .map((k) => [k.kid, k.alg, k.retiredAt ? rt.t('keys.retired', { at: localTime(k.retiredAt) }) : rt.t('keys.current'), `${rt.t('keys.created')} ${localTime(k.createdAt)}`].join('  '))
              .join('\n') || rt.t('keys.none'),
        );
      }),
    );

  keys
    .command('rotate')
    .description(rt.t('help.keys.rotate'))
    .action(
      rt.action(async () => {
        const { rotateOidcKeys } = await import('../../core/index.js');
        const core = await rt.openCore();
        const r = await rotateOidcKeys(core, rt.actor(), { societyId: (await rt.society(core)).id });
        rt.out(r, () => rt.t('keys.rotated', { kid: r.kid, retired: r.retired.join(', ') || '-' }));
      }),
    );
}
