/**
 * One JSON object per line on stderr (ASVS 16.2.1: time, level, request id). Callers pass only
 * safe facts: never a password, token, session id, cookie or query string (ASVS 16.2.5).
 */
export interface PortalLogger {
  info(entry: Record<string, unknown>): void;
  error(entry: Record<string, unknown>): void;
}

export function jsonLogger(write: (line: string) => void = stderrLines): PortalLogger {
  const emit = (level: string, entry: Record<string, unknown>) => write(JSON.stringify({ time: new Date().toISOString(), level, ...entry }) + '\n');
  return { info: (e) => emit('info', e), error: (e) => emit('error', e) };
}

export const silentLogger: PortalLogger = { info: () => undefined, error: () => undefined };

/** Flush at once past this many characters, so a burst never holds much in memory. */
const BATCH_CHARS = 16 * 1024;
let pending = '';
let scheduled = false;

function flush(): void {
  scheduled = false;
  if (!pending) return;
  const out = pending;
  pending = '';
  process.stderr.write(out);
}

/**
 * Lines written in one turn of the event loop leave stderr in one write: on a pipe stderr is
 * synchronous in Node on Linux, and one system call per request line cost the portal as much as
 * its session lookup. Lines go out after the current I/O callbacks (setImmediate), at once when
 * 16 KiB wait, and on exit (a synchronous write), so none is lost on a normal or error exit.
 */
function stderrLines(line: string): void {
  pending += line;
  if (pending.length >= BATCH_CHARS) flush();
  else if (!scheduled) {
    scheduled = true;
    setImmediate(flush);
  }
}
process.on('exit', flush);
