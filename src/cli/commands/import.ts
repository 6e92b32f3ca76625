import { existsSync, readFileSync, statSync } from 'node:fs';
import { basename, dirname, join, resolve } from 'node:path';
import type { Command } from 'commander';
import { usageError, type CliRuntime } from '../runtime.js';
import { KosmoError } from '../../core/errors.js';
import type { SocietyRow } from '../../core/db/entities/index.js';
import type { ImportProgress } from '../../core/import/import-members.js';
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
  if (!Number.isInteger(n) || n < min || n > max) throw usageError(flag, `a whole number ${min}-${max}`);
  return n;
}

/** --portal-url, else the society's publicUrl, else https://<first host name>/. */
function portalUrlOf(society: SocietyRow, flag: string | undefined): string | null {
  const url = flag ?? society.settings.publicUrl ?? (society.settings.hostNames[0] ? `https://${society.settings.hostNames[0]}/` : null);
  if (url === null) return null;
  let u: URL;
  try {
    u = new URL(url);
  } catch {
    throw usageError('--portal-url', 'an http(s) address such as https://portal.example.jp/');
  }
  if (u.protocol !== 'https:' && u.protocol !== 'http:') throw usageError('--portal-url', 'an http(s) address such as https://portal.example.jp/');
  return u.toString();
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
    .description('issue provisional IDs for every member in a CSV file (UTF-8 or Shift_JIS; see docs/import.md); resumable')
    .option('--out <file.csv>', 'credentials CSV for the print shop (written with mode 0600)')
    .option('--letters <file.html>', 'printable notice letters, one A4 page per member (mode 0600)')
    .option('--mail', 'queue a mail with the credentials to each member with an address')
    .option('--portal-url <url>', 'portal address for the letters and mail (default: the society publicUrl)')
    .option('--strict', 'any bad row aborts before anything is written')
    .option('--force', 'overwrite existing output files')
    .option('--batch-size <n>', 'members per database transaction', '200')
    .option('--workers <n>', 'hashing threads (default: one per core)')
    .action(
      rt.action(async (file: string, o: ImportOptions) => {
        if (!o.out && !o.letters && !o.mail) throw usageError('--out/--letters/--mail', 'give at least one output: the passwords are shown nowhere else');
        const batchSize = intOption('--batch-size', o.batchSize, 1, 10_000)!;
        const workers = intOption('--workers', o.workers, 1, 256);
        const outputs = { out: o.out ? resolve(o.out) : null, letters: o.letters ? resolve(o.letters) : null };
        for (const [flag, path] of [['--out', outputs.out], ['--letters', outputs.letters]] as const) {
          if (path && !(existsSync(dirname(path)) && statSync(dirname(path)).isDirectory())) throw usageError(flag, `no such directory: ${dirname(path)}`);
        }
        if (outputs.out && outputs.out === outputs.letters) throw usageError('--letters', 'must differ from --out');
        let bytes: Buffer;
        try {
          bytes = readFileSync(file);
        } catch {
          throw new KosmoError('FILE_UNREADABLE', { file });
        }

        const [{ importMembers, importJobId }, { credentialsCsv }, { renderNotices }, { writePrivateFile }] = await Promise.all([
          import('../../core/import/import-members.js'),
          import('../../core/import/credentials-csv.js'),
          import('../../core/letters/render-notices.js'),
          import('../../core/import/write-private-file.js'),
        ]);
        const core = await rt.openCore();
        const society = await rt.society(core);
        const portalUrl = portalUrlOf(society, o.portalUrl);
        if ((o.letters || o.mail) && !portalUrl) {
          throw usageError('--portal-url', 'the letters and mail need the portal address: set it once with `kosmo society set publicUrl https://…` or give --portal-url');
        }
        const journalDir = join(core.config.dataDir, 'imports');
        // An interrupted run of this same file wrote no output yet, or only some: it may overwrite.
        const resuming = existsSync(join(journalDir, `${importJobId(society.code, bytes)}.journal`));
        for (const [flag, path] of [['--out', outputs.out], ['--letters', outputs.letters]] as const) {
          if (path && existsSync(path) && !o.force && !resuming) throw usageError(flag, `${path} exists (use --force to overwrite it)`);
        }

        const progress = progressReporter(rt);
        const result = await importMembers(core, rt.actor(), society.id, {
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

        const badLines = () => [
          rt.t('import.badHeader'),
          ...result.bad.map((b) => rt.t('import.badRow', { line: b.line, column: b.column ? ` ${b.column}` : '', reason: b.reason })),
        ];
        if (result.status === 'aborted') {
          const message = rt.t('import.strictAborted', { bad: result.bad.length });
          if (rt.globals().json) process.stdout.write(JSON.stringify({ error: { code: 'INPUT_INVALID', message, bad: result.bad } }) + '\n');
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
            const html = await renderNotices(
              { name: society.name, portalTitle: society.portalTitle, contact: society.settings.contact },
              portalUrl!,
              result.credentials,
              core.clock.now(),
            );
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
          bad: result.bad,
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
