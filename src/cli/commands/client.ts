import type { Command } from 'commander';
import type { CliRuntime } from '../runtime.js';
import { localTime } from '../format.js';

const collect = (value: string, previous: string[] = []) => [...previous, value];

/**
 * Relying parties of the society's single sign-on (docs/sso.md): `kosmo client add|list|show|
 * remove|rotate-secret`. A confidential client's secret is printed once, by `add` and
 * `rotate-secret` only; `list` and `show` never print it. Every change is audited by the core.
 */
export function register(program: Command, rt: CliRuntime): void {
  const client = program.command('client').description(rt.t('help.client'));

  client
    .command('add')
    .description(rt.t('help.client.add'))
    .requiredOption('--name <name>', rt.t('help.client.add.name'))
    .requiredOption('--redirect-uri <url>', rt.t('help.client.add.redirectUri'), collect)
    .option('--post-logout-redirect-uri <url>', rt.t('help.client.add.postLogoutRedirectUri'), collect)
    .option('--first-party', rt.t('help.client.add.firstParty'))
    .option('--public', rt.t('help.client.add.public'))
    .action(
      rt.action(async (o: { name: string; redirectUri: string[]; postLogoutRedirectUri?: string[]; firstParty?: boolean; public?: boolean }) => {
        const { addOidcClient } = await import('../../core/index.js');
        const core = await rt.openCore();
        const c = await addOidcClient(core, rt.actor(), {
          societyId: (await rt.society(core)).id,
          name: o.name,
          redirectUris: o.redirectUri,
          postLogoutRedirectUris: o.postLogoutRedirectUri ?? [],
          firstParty: o.firstParty === true,
          public: o.public === true,
        });
        const { clientSecret, ...view } = c;
        rt.out(clientSecret ? { ...view, clientSecret } : view, () =>
          [rt.t('client.added', { name: c.name }), `clientId: ${c.clientId}`, ...(clientSecret ? [`clientSecret: ${clientSecret}`, rt.t('client.secretOnce')] : [rt.t('client.publicNoSecret')])].join(
            '\n',
          ),
        );
      }),
    );

  client
    .command('list')
    .description(rt.t('help.client.list'))
    .action(
      rt.action(async () => {
        const { listOidcClients } = await import('../../core/index.js');
        const core = await rt.openCore();
        const clients = await listOidcClients(core, (await rt.society(core)).id);
        rt.out({ clients }, () =>
          clients.length === 0
            ? rt.t('client.none')
            : clients
                .map((c) => [c.clientId, c.name, c.firstParty ? rt.t('client.firstParty') : rt.t('client.thirdParty'), c.public ? rt.t('client.public') : rt.t('client.confidential')].join('  '))
                .join('\n'),
        );
      }),
    );

  client
    .command('show <clientId>')
    .description(rt.t('help.client.show'))
    .action(
      rt.action(async (clientId: string) => {
        const { showOidcClient } = await import('../../core/index.js');
        const core = await rt.openCore();
        const c = await showOidcClient(core, (await rt.society(core)).id, clientId);
        rt.out(c, () =>
          [
            `clientId: ${c.clientId}`,
            `${rt.t('client.name')}: ${c.name}`,
            `${rt.t('client.kind')}: ${c.firstParty ? rt.t('client.firstParty') : rt.t('client.thirdParty')}, ${c.public ? rt.t('client.public') : rt.t('client.confidential')}`,
            ...c.redirectUris.map((u) => `redirect_uri: ${u}`),
            ...c.postLogoutRedirectUris.map((u) => `post_logout_redirect_uri: ${u}`),
            `${rt.t('client.created')}: ${localTime(c.createdAt)}`,
          ].join('\n'),
        );
      }),
    );

  client
    .command('remove <clientId>')
    .description(rt.t('help.client.remove'))
    .action(
      rt.action(async (clientId: string) => {
        const { removeOidcClient } = await import('../../core/index.js');
        const core = await rt.openCore();
        const r = await removeOidcClient(core, rt.actor(), { societyId: (await rt.society(core)).id, clientId });
        rt.out(r, () => rt.t('client.removed', { clientId: r.clientId }));
      }),
    );

  client
    .command('rotate-secret <clientId>')
    .description(rt.t('help.client.rotateSecret'))
    .action(
      rt.action(async (clientId: string) => {
        const { rotateOidcClientSecret } = await import('../../core/index.js');
        const core = await rt.openCore();
        const r = await rotateOidcClientSecret(core, rt.actor(), { societyId: (await rt.society(core)).id, clientId });
        rt.out(r, () => [rt.t('client.rotated', { clientId: r.clientId }), `clientSecret: ${r.clientSecret}`, rt.t('client.secretOnce')].join('\n'));
      }),
    );
}
