import { open } from 'node:fs/promises';
import { isUtf8 } from 'node:buffer';
import { KosmoError } from '../errors.js';

/**
 * The largest terms file accepted: 200 KiB. A long terms text is ~30 000 characters (~90 KB in
 * UTF-8); anything far bigger is the wrong file.
 */
export const TERMS_MAX_BYTES = 200 * 1024;

/** Control characters a text may not hold: C0 except tab, LF and CR; DEL; C1. */
// eslint-disable-next-line no-control-regex -- matching control characters is the point
const CONTROL = /[\u0000-\u0008\u000b\u000c\u000e-\u001f\u007f-\u009f]/;

function lineAt(text: string, index: number): number {
  let line = 1;
  for (let i = text.indexOf('\n'); i !== -1 && i < index; i = text.indexOf('\n', i + 1)) line++;
  return line;
}

function controlName(c: string): string {
  const hex = c.codePointAt(0)!.toString(16).toUpperCase().padStart(4, '0');
  return c === '\u0000' ? 'NUL (U+0000)' : `U+${hex}`;
}

/** The first line (1-based) that is not valid UTF-8: a LF byte never occurs inside a UTF-8 (or Shift_JIS) character. */
function firstBadUtf8Line(bytes: Uint8Array): number {
  let line = 1;
  let start = 0;
  for (let i = 0; i <= bytes.length; i++) {
    if (i === bytes.length || bytes[i] === 0x0a) {
      if (!isUtf8(bytes.subarray(start, i))) return line;
      line++;
      start = i + 1;
    }
  }
  return line;
}

/**
 * The terms text from a file's bytes (or a string), or KosmoError with a code naming what is wrong,
 * checked before anything reaches the database (a NUL byte used to end up as a driver error):
 * TERMS_TOO_LARGE (over TERMS_MAX_BYTES), TERMS_NOT_UTF8 (Shift_JIS, UTF-16 …), TERMS_CONTROL_CHARS
 * (NUL or another control character: a binary file), TERMS_EMPTY (nothing but white space).
 * A leading BOM is dropped and line ends become LF. `file` only names the source in the error.
 */
export function termsText(input: string | Uint8Array, file = ''): string {
  const size = typeof input === 'string' ? Buffer.byteLength(input, 'utf8') : input.length;
  if (size > TERMS_MAX_BYTES) throw new KosmoError('TERMS_TOO_LARGE', { file, size, max: TERMS_MAX_BYTES });
  let text: string;
  if (typeof input === 'string') text = input;
  else {
    const utf16 = input.length >= 2 && ((input[0] === 0xff && input[1] === 0xfe) || (input[0] === 0xfe && input[1] === 0xff));
    if (utf16 || !isUtf8(input)) throw new KosmoError('TERMS_NOT_UTF8', { file, line: utf16 ? 1 : firstBadUtf8Line(input) });
    text = Buffer.from(input.buffer, input.byteOffset, input.byteLength).toString('utf8');
  }
  text = text.replace(/^\uFEFF/, '').replace(/\r\n?/g, '\n');
  const bad = CONTROL.exec(text);
  if (bad) throw new KosmoError('TERMS_CONTROL_CHARS', { file, line: lineAt(text, bad.index), char: controlName(bad[0]) });
  text = text.trim();
  if (text === '') throw new KosmoError('TERMS_EMPTY', { file });
  return text;
}

/**
 * A terms file's bytes for termsText, reading no more than one byte past the limit (a huge file
 * is refused without being read). Unreadable (missing, a directory, no permission): FILE_UNREADABLE.
 */
export async function readTermsFile(path: string): Promise<Uint8Array> {
  let handle;
  try {
    handle = await open(path, 'r');
    const buffer = Buffer.alloc(TERMS_MAX_BYTES + 1);
    let length = 0;
    for (;;) {
      const { bytesRead } = await handle.read(buffer, length, buffer.length - length, null);
      if (bytesRead === 0) break;
      length += bytesRead;
      if (length === buffer.length) {
        // Over the limit: report the real size.
        const { size } = await handle.stat();
        throw new KosmoError('TERMS_TOO_LARGE', { file: path, size: Math.max(size, length), max: TERMS_MAX_BYTES });
      }
    }
    return buffer.subarray(0, length);
  } catch (err) {
    if (err instanceof KosmoError) throw err;
    throw new KosmoError('FILE_UNREADABLE', { file: path });
  } finally {
    await handle?.close().catch(() => undefined);
  }
}
