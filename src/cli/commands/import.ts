import { existsSync, readFileSync, statSync } from 'node:fs';
import { basename, dirname, join, resolve } from 'node:path';
import type { Command } from 'commander';
import { usageError, type CliRuntime } from '../runtime.js';
import { KosmoError, type SocietyView, type ImportProgress, type BadRow, resolvePortalUrl } from '../../core/index.js';
import { reasonText } from '../../staff-text/index.js';
import { memberCommand } from './member-command.js';

/** Skipped rows listed in the text summary (all of them are in --json). */
const SKIPPED_SHOWN = 20;

interface ImportOptions {
  out?: string;
  letters?: string;
  mail?: boolean;
  portalUrl?: string;
  strict?: boolean;
  force?: boolean;
  batchSize: string;
  workers?: string;
}

function intOption(flag: string, raw: string | undefined, min: number, max: number): number | undefined {
  if (raw === undefined) return undefined;
  const n = Number(raw);
  if (!Number.isInteger(n) || n < min || n > max) throw usageError(flag, 'RANGE', { min, max });
  return n;
}

/** --portal-url (checked), else the core's portal-URL rule (publicUrl, then the first host name). */
function portalUrlOf(society: SocietyView, flag: string | undefined): string | null {
  if (flag !== undefined) {
    let u: URL | null = null;
    try {
      u = new URL(flag);
    } catch {
      // reported below
    }
    if (!u || (u.protocol !== 'https:' && u.protocol !== 'http:')) throw usageError('--portal-url', 'HTTP_URL');
  }
  return resolvePortalUrl(society, { configured: flag });
}

/** Progress: a bar redrawn in place on a terminal, else one plain line per written batch. */
function progressReporter(rt: CliRuntime) {
  const json = Boolean(rt.globals().json);
  const tty = !json && process.stdout.isTTY === true;
  const stream = json ? process.stderr : process.stdout;
  let lastDraw = 0;
  let lastWritten = 0;
  const started = Date.now();
  return {
    update(p: ImportProgress) {
      if (tty) {
        const now = Date.now();
        if (now - lastDraw < 100 && p.written < p.total) return;
        lastDraw = now;
        const width = 30;
        const done = Math.round((p.written / Math.max(1, p.total)) * width);
        const hashed = Math.max(done, Math.round((p.hashed / Math.max(1, p.total)) * width));
        const rate = p.hashed / Math.max(0.001, (now - started) / 1000);
        const bar = '█'.repeat(done) + '▒'.repeat(hashed - done) + '░'.repeat(width - hashed);
        process.stdout.write(`\r${rt.t('import.bar')} [${bar}] ${p.written}/${p.total} (${Math.floor((100 * p.written) / Math.max(1, p.total))}%) ${rate.toFixed(1)}/s `);
      } else if (p.written !== lastWritten) {
        lastWritten = p.written;
        stream.write(rt.t('import.progress', { written: p.written, total: p.total, hashed: p.hashed }) + '\n');
      }
    },
    end() {
      if (tty && lastDraw > 0) process.stdout.write('\n');
    },
  };
}

export function register(program: Command, rt: CliRuntime): void {
  memberCommand(program)
    .command('import <file>')
    .description(rt.t('help.member.import'))
    .option('--out <file.csv>', rt.t('help.member.import.out'))
    .option('--letters <file.html>', rt.t('help.member.import.letters'))
    .option('--mail', rt.t('help.member.import.mail'))
    .option('--portal-url <url>', rt.t('help.member.import.portalUrl'))
    .option('--strict', rt.t('help.member.import.strict'))
    .option('--force', rt.t('help.member.import.force'))
    .option('--batch-size <n>', rt.t('help.member.import.batchSize'), '200')
    .option('--workers <n>', rt.t('help.member.import.workers'))
    .action(
      rt.action(async (file: string, o: ImportOptions) => {
        if (!o.out && !o.letters && !o.mail) throw usageError('--out/--letters/--mail', 'OUTPUT_REQUIRED');
        const batchSize = intOption('--batch-size', o.batchSize, 1, 10_000)!;
        const workers = intOption('--workers', o.workers, 1, 256);
        const outputs = { out: o.out ? resolve(o.out) : null, letters: o.letters ? resolve(o.letters) : null };
        for (const [flag, path] of [
          ['--out', outputs.out],
          ['--letters', outputs.letters],
        ] as const) {
          if (path && !(existsSync(dirname(path)) && statSync(dirname(path)).isDirectory())) throw usageError(flag, 'NO_SUCH_DIRECTORY', { dir: dirname(path) });
        }
        if (outputs.out && outputs.out === outputs.letters) throw usageError('--letters', 'MUST_DIFFER', { other: '--out' });
        let bytes: Buffer;
        try {
          bytes = readFileSync(file);
        } catch {
          throw new KosmoError('FILE_UNREADABLE', { file });
        }

        const [{ importMembers, importJobId }, { credentialsCsv }, { renderNotices }, { writePrivateFile }] = await Promise.all([
          import('../../core/index.js'),
          import('../../core/index.js'),
          import('../../core/index.js'),
          import('../../core/index.js'),
        ]);
        const core = await rt.openCore();
        const society = await rt.society(core);
        const portalUrl = portalUrlOf(society, o.portalUrl);
        if ((o.letters || o.mail) && !portalUrl) {
          throw usageError('--portal-url', 'PORTAL_URL_NEEDED');
        }
        const journalDir = join(core.config.dataDir, 'imports');
        // An interrupted run of this same file wrote no output yet, or only some: it may overwrite.
        const resuming = existsSync(join(journalDir, `${importJobId(society.code, bytes)}.journal`));
        for (const [flag, path] of [
          ['--out', outputs.out],
          ['--letters', outputs.letters],
        ] as const) {
          if (path && existsSync(path) && !o.force && !resuming) throw usageError(flag, 'FILE_EXISTS_FORCE', { path });
        }

        const progress = progressReporter(rt);
        const result = await importMembers(core, rt.actor(), {
          societyId: society.id,
          bytes,
          fileName: basename(file),
          strict: o.strict,
          batchSize,
          workers,
          journalDir,
          mail: o.mail ? { portalUrl: portalUrl! } : undefined,
          onProgress: (p) => progress.update(p),
        });
        progress.end();

        // Bad rows carry reason codes; staff read them in their language (JSON keeps the code too).
        const badReason = (b: BadRow) => reasonText(rt.lang, b.reason, b.params ?? {});
        const bad = result.bad.map((b) => ({ ...b, message: badReason(b) }));
        const badLines = () => [rt.t('import.badHeader'), ...result.bad.map((b) => rt.t('import.badRow', { line: b.line, column: b.column ? ` ${b.column}` : '', reason: badReason(b) }))];
        if (result.status === 'aborted') {
          const message = rt.t('import.strictAborted', { bad: result.bad.length });
          if (rt.globals().json) process.stdout.write(JSON.stringify({ error: { code: 'INPUT_INVALID', message, bad } }) + '\n');
          else process.stderr.write([...badLines(), message].join('\n') + '\n');
          process.exitCode = 2;
          return;
        }

        const written: { kind: string; path: string; count: number }[] = [];
        if (result.credentials.length > 0) {
          if (outputs.out) {
            writePrivateFile(outputs.out, credentialsCsv(result.credentials));
            written.push({ kind: 'credentials-csv', path: outputs.out, count: result.credentials.length });
          }
          if (outputs.letters) {
            const html = await renderNotices({ name: society.name, portalTitle: society.portalTitle, contact: society.settings.contact }, portalUrl!, result.credentials, core.clock.now());
            writePrivateFile(outputs.letters, html);
            written.push({ kind: 'letters', path: outputs.letters, count: result.credentials.length });
          }
        }
        await result.complete([...written.map((w) => w.kind), ...(o.mail ? ['mail'] : [])]);

        const summary = {
          file: basename(file),
          encoding: result.encoding,
          rows: result.rows,
          issued: result.issued,
          resumed: result.resumed,
          skipped: result.skipped,
          bad,
          mailed: result.mailed,
          outputs: written,
          waitingElsewhere: result.waitingElsewhere,
        };
        rt.out(summary, () =>
          [
            rt.t('import.encoding', { encoding: result.encoding }),
            rt.t('import.summary', { rows: result.rows, issued: result.issued, resumed: result.resumed, skipped: result.skipped.length, bad: result.bad.length }),
            ...(result.bad.length ? badLines() : []),
            ...(result.skipped.length
              ? [
                  rt.t('import.skippedHeader'),
                  ...result.skipped.slice(0, SKIPPED_SHOWN).map((s) => rt.t('import.skippedRow', { line: s.line, userId: s.userId })),
                  ...(result.skipped.length > SKIPPED_SHOWN ? [`  … +${result.skipped.length - SKIPPED_SHOWN}`] : []),
                ]
              : []),
            ...(result.credentials.length === 0 ? [rt.t('import.nothing')] : written.map((w) => rt.t('import.wrote', w))),
            ...(o.mail ? [rt.t('import.mailed', { count: result.mailed })] : []),
            ...(result.waitingElsewhere ? [rt.t('import.waiting', { count: result.waitingElsewhere, dir: journalDir })] : []),
          ].join('\n'),
        );
      }),
    );
}
