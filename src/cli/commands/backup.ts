import { readFileSync } from 'node:fs';
import type { Command } from 'commander';
import { usageError, type CliRuntime } from '../runtime.js';
import { KosmoError } from '../../core/index.js';

/**
 * `kosmo backup` and `kosmo restore` (docs/operations.md). A backup is the database only; the
 * secret key that seals the TOTP seeds stays in the data directory (or KOSMO_SECRET_KEY) and a
 * restore needs both.
 */
export function register(program: Command, rt: CliRuntime): void {
  program
    .command('backup <file>')
    .description(rt.t('help.backup'))
    .option('--force', rt.t('help.backup.force'))
    .action(
      rt.action(async (file: string, o: { force?: boolean }) => {
        const { backupDatabase } = await import('../../core/index.js');
        const config = await rt.config();
        const r = await backupDatabase(config, file, { force: o.force });
        const keyFrom = rt.t(`backup.keyFrom.${r.key.source}`, { file: r.key.file });
        rt.out(r, () =>
          [
            rt.t('backup.done', { path: r.file, size: r.size, dialect: r.dialect === 'sqlite' ? 'SQLite' : 'PostgreSQL' }),
            rt.t('backup.checked', { check: r.check }),
            rt.t('backup.keyNote', { keyFrom }),
          ].join('\n'),
        );
      }),
    );

  program
    .command('restore <file>')
    .description(rt.t('help.restore'))
    .option('--secret-key-file <file>', rt.t('help.restore.secretKeyFile'))
    .action(
      rt.action(async (file: string, o: { secretKeyFile?: string }) => {
        const [{ restoreBackup }, { parseKey }] = await Promise.all([import('../../core/index.js'), import('../../core/index.js')]);
        const config = await rt.config();
        const fromEnv = config.secretKeySource === 'env' ? config.secretKey : null;
        let fromFile: Buffer | null = null;
        if (o.secretKeyFile !== undefined) {
          let text: string;
          try {
            text = readFileSync(o.secretKeyFile, 'utf8');
          } catch {
            throw new KosmoError('FILE_UNREADABLE', { file: o.secretKeyFile });
          }
          fromFile = parseKey(text, o.secretKeyFile);
        }
        if (fromFile && fromEnv && !fromFile.equals(fromEnv)) throw usageError('--secret-key-file', 'SECRET_KEY_CONFLICT');
        const key = fromFile ?? fromEnv;
        if (!key) throw usageError('--secret-key-file', 'SECRET_KEY_REQUIRED');
        const r = await restoreBackup({ file, config, key, keyFrom: fromEnv ? 'env' : 'file' });
        rt.out(r, () =>
          [
            rt.t('restore.done', { file: r.file, target: r.dialect === 'sqlite' ? r.dataDir : `${r.dataDir} (PostgreSQL)` }),
            r.keyCheck.count > 0 ? rt.t('restore.keyChecked', { count: r.keyCheck.count }) : rt.t('restore.keyUnchecked'),
            r.keyFile ? rt.t('restore.keyWritten', { file: r.keyFile }) : rt.t('restore.keyFromEnv'),
            r.migrationsApplied.length ? rt.t('restore.migrated', { names: r.migrationsApplied.join(', ') }) : rt.t('restore.upToDate'),
            '',
            rt.t('restore.next', { dataDir: r.dataDir }),
          ].join('\n'),
        );
      }),
    );
}
