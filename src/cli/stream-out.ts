import { createWriteStream, existsSync, renameSync, rmSync, type WriteStream } from 'node:fs';
import { once } from 'node:events';
import { basename, dirname, join, resolve } from 'node:path';
import { randomBytes } from 'node:crypto';
import { KosmoError } from '../core/index.js';

function write(stream: NodeJS.WritableStream, chunk: string): Promise<void> | void {
  if (chunk === '' || stream.write(chunk)) return;
  return once(stream, 'drain').then(() => undefined);
}

/**
 * Streams `chunks` to standard output, waiting whenever the pipe is full (so a slow reader never
 * makes the process buffer the whole export). A reader that goes away (`| head`) ends it quietly.
 */
export async function streamToStdout(chunks: AsyncIterable<string>): Promise<void> {
  let closed = false;
  const onError = (err: NodeJS.ErrnoException) => {
    if (err.code === 'EPIPE') closed = true;
    else throw err;
  };
  process.stdout.on('error', onError);
  try {
    for await (const chunk of chunks) {
      if (closed) return;
      await write(process.stdout, chunk);
    }
  } finally {
    process.stdout.off('error', onError);
  }
}

/**
 * Streams `chunks` into `path`: a temporary file beside it with mode 0600 from the start, renamed
 * into place only when complete, so a reader never sees half an export. An existing file is
 * refused (FILE_EXISTS, exit 4) unless `force`. Returns the absolute path.
 */
export async function streamToFile(path: string, chunks: AsyncIterable<string>, force = false): Promise<string> {
  const target = resolve(path);
  if (!existsSync(dirname(target))) throw new KosmoError('INPUT_INVALID', { field: '--out', reason: 'NO_SUCH_DIRECTORY', dir: dirname(target) });
  if (existsSync(target) && !force) throw new KosmoError('FILE_EXISTS', { file: target });
  const tmp = join(dirname(target), `.${basename(target)}.${randomBytes(4).toString('hex')}.tmp`);
  const stream: WriteStream = createWriteStream(tmp, { flags: 'wx', mode: 0o600 });
  let failed: Error | null = null;
  stream.on('error', (err) => (failed = err));
  try {
    await once(stream, 'open');
    for await (const chunk of chunks) {
      if (failed) throw failed;
      await write(stream, chunk);
    }
    stream.end();
    await once(stream, 'finish');
    if (failed) throw failed;
    renameSync(tmp, target);
    return target;
  } catch (err) {
    stream.destroy();
    rmSync(tmp, { force: true });
    throw err;
  }
}
