import { describe, it, expect } from 'vitest';
import { setImmediate as nextTurn } from 'node:timers/promises';
import { batchedLines, jsonLogger, type LogStream } from '../../src/portal/logger.js';

/** A stream whose reader is as far behind as the test says. */
function fakeStream(): LogStream & { writes: string[]; behind: number } {
  const s = {
    writes: [] as string[],
    behind: 0,
    get writableLength() {
      return s.behind;
    },
    write(chunk: string) {
      s.writes.push(chunk);
      return true;
    },
  };
  return s;
}

const limits = { batchChars: 100, maxUnwritten: 500 };

describe('the portal log (batched lines on stderr)', () => {
  it('writes the lines of one event-loop turn in one write, and at once past the batch size', async () => {
    const stream = fakeStream();
    const log = batchedLines(stream, limits);
    log.write('a\n');
    log.write('b\n');
    expect(stream.writes).toEqual([]);
    await nextTurn();
    expect(stream.writes).toEqual(['a\nb\n']);
    log.write(`${'x'.repeat(100)}\n`);
    expect(stream.writes).toHaveLength(2);
  });

  it('drops lines while its reader is behind, and says how many once it catches up', async () => {
    const stream = fakeStream();
    const log = batchedLines(stream, limits);
    stream.behind = 495;
    for (let i = 0; i < 30; i++) log.write(`line ${i}\n`);
    await nextTurn();
    expect(stream.writes).toEqual([]);
    log.write('one more\n');
    await nextTurn();
    expect(stream.writes).toEqual([]);
    stream.behind = 0;
    log.write('after\n');
    log.flush();
    expect(stream.writes).toHaveLength(2);
    expect(JSON.parse(stream.writes[0]!)).toMatchObject({ level: 'error', msg: 'log lines dropped', count: 31 });
    expect(stream.writes[1]).toBe('after\n');
  });

  it('keeps what it holds bounded however long the reader stalls', async () => {
    const stream = fakeStream();
    const log = batchedLines(stream, limits);
    stream.behind = 10_000;
    for (let turn = 0; turn < 50; turn++) {
      for (let i = 0; i < 100; i++) log.write(`${'y'.repeat(40)}\n`);
      await nextTurn();
    }
    expect(stream.writes).toEqual([]);
    stream.behind = 0;
    log.write('z\n');
    log.flush();
    expect(JSON.parse(stream.writes[0]!).count).toBe(5000);
  });

  it('writes each entry as one JSON object with its time and level first', () => {
    const lines: string[] = [];
    let ms = Date.UTC(2026, 10, 30, 1, 2, 3, 4);
    const log = jsonLogger(
      (line) => lines.push(line),
      () => ms,
    );
    log.info({ msg: 'request', path: '/a"b\n\u2028', status: 200 });
    log.error({});
    ms += 1;
    log.info({ msg: 'later' });
    expect(lines.every((l) => l.endsWith('\n') && !l.slice(0, -1).includes('\n'))).toBe(true);
    const parsed = lines.map((l) => JSON.parse(l));
    expect(Object.keys(parsed[0]).slice(0, 2)).toEqual(['time', 'level']);
    expect(parsed[0]).toEqual({ time: '2026-11-30T01:02:03.004Z', level: 'info', msg: 'request', path: '/a"b\n\u2028', status: 200 });
    expect(parsed[1]).toEqual({ time: '2026-11-30T01:02:03.004Z', level: 'error' });
    // The time formatted once per millisecond is formatted again when the clock moves on.
    expect(parsed[2]).toEqual({ time: '2026-11-30T01:02:03.005Z', level: 'info', msg: 'later' });
  });
});
