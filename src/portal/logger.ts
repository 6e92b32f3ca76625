/**
 * One JSON object per line on stderr (ASVS 16.2.1: time, level, request id). Callers pass only
 * safe facts: never a password, token, session id, cookie or query string (ASVS 16.2.5).
 */
export interface PortalLogger {
  info(entry: Record<string, unknown>): void;
  error(entry: Record<string, unknown>): void;
}

export function jsonLogger(write: (line: string) => void = stderrLines, now: () => number = Date.now): PortalLogger {
  // Every request writes a line: the ISO time is formatted once per millisecond (formatting it
  // cost half of a line), and the entry is serialised as it is, after `time` and `level`, instead
  // of being copied into a new object first.
  let lastMs = NaN;
  let lastTime = '';
  const emit = (level: string, entry: Record<string, unknown>) => {
    const ms = now();
    if (ms !== lastMs) {
      lastMs = ms;
      lastTime = new Date(ms).toISOString();
    }
    const fields = JSON.stringify(entry);
    write(`{"time":"${lastTime}","level":"${level}"${fields.length > 2 ? `,${fields.slice(1)}` : '}'}\n`);
  };
  return { info: (e) => emit('info', e), error: (e) => emit('error', e) };
}

export const silentLogger: PortalLogger = { info: () => undefined, error: () => undefined };

/** Where the lines go: Node's stderr offers both. */
export interface LogStream {
  write(chunk: string): boolean;
  /** Text accepted but not yet taken by the reader (a pipe whose reader stalls). */
  readonly writableLength: number;
}

export interface BatchLimits {
  /** Flush at once past this many characters, so a burst never holds much in memory. */
  batchChars: number;
  /**
   * Drop lines while this much text already waits for the reader. On a pipe (journald, a
   * supervisor) stderr is asynchronous in Node: a reader that stops reading would otherwise keep
   * every later line in the portal's memory, without bound — measured: the portal's heap grew by
   * ~70 MB in 45 s of page views with its stderr pipe unread. How many were dropped is logged once
   * the reader catches up.
   */
  maxUnwritten: number;
}

export const DEFAULT_BATCH_LIMITS: BatchLimits = { batchChars: 16 * 1024, maxUnwritten: 1024 * 1024 };

/**
 * Lines written in one turn of the event loop leave in one write: one system call per request
 * line cost the portal as much as its session lookup. Lines go out after the current I/O callbacks
 * (setImmediate), at once when `batchChars` wait, and by `flush()` on exit, so none waits in the
 * batch when the process ends.
 */
export function batchedLines(stream: LogStream, limits: BatchLimits = DEFAULT_BATCH_LIMITS): { write(line: string): void; flush(): void } {
  let pending = '';
  let scheduled = false;
  let dropped = 0;
  const flush = (): void => {
    scheduled = false;
    if (!pending) return;
    const out = pending;
    pending = '';
    if (stream.writableLength + out.length > limits.maxUnwritten) {
      for (let i = out.indexOf('\n'); i !== -1; i = out.indexOf('\n', i + 1)) dropped++;
      return;
    }
    if (dropped > 0) {
      stream.write(JSON.stringify({ time: new Date().toISOString(), level: 'error', msg: 'log lines dropped', count: dropped, reason: 'log reader behind' }) + '\n');
      dropped = 0;
    }
    stream.write(out);
  };
  const write = (line: string): void => {
    pending += line;
    if (pending.length >= limits.batchChars) flush();
    else if (!scheduled) {
      scheduled = true;
      setImmediate(flush);
    }
  };
  return { write, flush };
}

const stderrBatch = batchedLines(process.stderr);
const stderrLines = stderrBatch.write;
process.on('exit', stderrBatch.flush);
