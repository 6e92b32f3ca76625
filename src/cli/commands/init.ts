import { chmodSync, existsSync, mkdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { randomBytes } from 'node:crypto';
import type { Command } from 'commander';
import type { CliRuntime } from '../runtime.js';
import { KosmoError } from '../../core/index.js';
import { templatesDir } from '../paths.js';

export function register(program: Command, rt: CliRuntime): void {
  program
    .command('init')
    .description(rt.t('help.init'))
    .option('--society-code <code>', rt.t('help.init.societyCode'), 'kenpo')
    .option('--society-name <name>', rt.t('help.init.societyName'), 'KOSMO健康保険組合')
    .option('--portal-title <title>', rt.t('help.init.portalTitle'))
    .action(
      rt.action(async (opts: { societyCode: string; societyName: string; portalTitle?: string }) => {
        const { SECRET_KEY_FILE, createCore, migrate, createSociety, publishTerms, closeCore, ensureOidcKeys } = await import('../../core/index.js');
        const config0 = await rt.config();
        if (existsSync(config0.dataDir)) throw new KosmoError('DATA_DIR_EXISTS', { dataDir: config0.dataDir });
        mkdirSync(config0.dataDir, { recursive: true, mode: 0o700 });
        try {
          if (config0.secretKeySource !== 'env') {
            // The key that encrypts TOTP seeds: readable by the owner only.
            const keyFile = join(config0.dataDir, SECRET_KEY_FILE);
            writeFileSync(keyFile, randomBytes(32).toString('hex') + '\n', { mode: 0o600 });
            chmodSync(keyFile, 0o600);
          }
          const config = await rt.config();
          const core = await createCore(config);
          try {
            await migrate(core);
            const society = await createSociety(core, rt.actor(), { code: opts.societyCode, name: opts.societyName, portalTitle: opts.portalTitle });
            const body = readFileSync(join(templatesDir(), 'terms', 'default-terms.txt'), 'utf8');
            await publishTerms(core, rt.actor(), { societyId: society.id, title: '利用規約', body });
            // The single sign-on's signing and cookie keys, sealed with the secret key (docs/sso.md).
            await ensureOidcKeys(core, [society.id]);
            rt.out({ dataDir: config.dataDir, society: { code: society.code, name: society.name, portalTitle: society.portalTitle } }, () =>
              [rt.t('init.done', { dataDir: config.dataDir }), rt.t('init.society', { name: society.name, code: society.code }), '', rt.t('init.next')].join('\n'),
            );
          } finally {
            await closeCore(core);
          }
        } catch (err) {
          // A failed init (e.g. a bad --society-code) leaves no half-made data dir: just run it again.
          rmSync(config0.dataDir, { recursive: true, force: true });
          throw err;
        }
      }),
    );
}
