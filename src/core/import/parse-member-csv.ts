import { parse } from 'csv-parse/sync';
import { validateMemberInput, type MemberInput, type ValidMemberInput } from '../accounts/member-input.js';
import { KosmoError, isKosmoError } from '../errors.js';
import { decodeCsv, type CsvEncoding } from './decode-csv.js';
import { columnFor, columnOfValidatedField, CSV_COLUMNS, INPUT_FIELD, REQUIRED_COLUMNS, type CsvColumn } from './csv-columns.js';
import { rowKey } from './row-key.js';

export interface ParsedRow {
  /** Line number in the file (the header is line 1). */
  line: number;
  input: ValidMemberInput;
  key: string;
}

export interface BadRow {
  line: number;
  /** The CSV column at fault, when there is one. */
  column: CsvColumn | null;
  /** A reason code (`DUPLICATE_ROW`, `REAL_DATE` …); the words are in the staff-text catalogue. */
  reason: string;
  /** The reason's parameters (`{ line: 2 }` for DUPLICATE_ROW …). */
  params?: Record<string, unknown>;
}

export interface ParsedFile {
  encoding: CsvEncoding;
  columns: CsvColumn[];
  rows: ParsedRow[];
  bad: BadRow[];
}

/** Excel writes dates as 1979/8/22; the core wants 1979-08-22 (or 19790822). */
function padDate(v: string): string {
  const m = /^\s*(\d{4})\s*[-/.年]\s*(\d{1,2})\s*[-/.月]\s*(\d{1,2})\s*日?\s*$/.exec(v.normalize('NFKC'));
  return m ? `${m[1]}-${m[2]!.padStart(2, '0')}-${m[3]!.padStart(2, '0')}` : v;
}

const RELATIONSHIP_ALIASES: Record<string, string> = { 被保険者: 'self', 被扶養者: 'family' };

function fileError(reason: string, params: Record<string, unknown> = {}): KosmoError {
  return new KosmoError('INPUT_INVALID', { ...params, field: 'file', reason });
}

/** csv-parse's error code (`CSV_QUOTE_NOT_CLOSED` …): an identifier, not prose. */
function csvCode(err: unknown): string {
  const code = (err as { code?: unknown } | null)?.code;
  return typeof code === 'string' ? code : 'CSV_ERROR';
}

/**
 * Reads a member file: decodes it, maps the header to the documented columns, and validates each
 * row with the same rules as `kosmo member issue`. A bad row is reported with its line number and
 * reason and does not stop the others; a row repeating an earlier one (same card, or same name,
 * kana and birth date without a card) is bad too. A file whose header is wrong fails as a whole.
 */
export function parseMemberCsv(bytes: Uint8Array, today: Date): ParsedFile {
  const { text, encoding } = decodeCsv(bytes);
  const bad: BadRow[] = [];
  let records: { record: string[]; info: { lines: number } }[];
  try {
    records = parse(text, {
      info: true,
      relax_column_count: true,
      skip_empty_lines: true,
      skip_records_with_error: true,
      on_skip: (err) => {
        if (err) bad.push({ line: Number(err.lines ?? 0), column: null, reason: 'CSV_SYNTAX', params: { csvCode: csvCode(err) } });
        return undefined;
      },
    }) as unknown as { record: string[]; info: { lines: number } }[];
  } catch (e) {
    throw fileError('CSV_UNREADABLE', { csvCode: csvCode(e) });
  }
  const header = records.shift();
  if (!header) throw fileError('FILE_EMPTY');
  const columns: (CsvColumn | null)[] = [];
  for (const h of header.record) {
    if (h.trim() === '') {
      columns.push(null);
      continue;
    }
    const col = columnFor(h);
    if (!col) throw fileError('COLUMN_UNKNOWN', { column: h, line: header.info.lines, known: [...CSV_COLUMNS] });
    if (columns.includes(col)) throw fileError('COLUMN_TWICE', { column: h });
    columns.push(col);
  }
  const missing = REQUIRED_COLUMNS.filter((c) => !columns.includes(c));
  if (missing.length) throw fileError('COLUMNS_MISSING', { columns: missing });

  const rows: ParsedRow[] = [];
  const firstLine = new Map<string, number>();
  for (const { record, info } of records) {
    const line = info.lines;
    if (record.every((c) => c.trim() === '')) continue;
    const extra = record.slice(columns.length).filter((c) => c.trim() !== '');
    if (extra.length) {
      bad.push({ line, column: null, reason: 'FIELD_COUNT', params: { fields: record.length, expected: columns.length } });
      continue;
    }
    const raw: Record<string, unknown> = {};
    columns.forEach((col, i) => {
      if (!col) return;
      let v = (record[i] ?? '').trim();
      if (col === 'birth_date') v = padDate(v);
      if (col === 'relationship') v = RELATIONSHIP_ALIASES[v] ?? v;
      if (v !== '' || col !== 'relationship') raw[INPUT_FIELD[col].input] = v;
    });
    let input: ValidMemberInput;
    try {
      input = validateMemberInput(raw as unknown as MemberInput, today);
    } catch (e) {
      if (!isKosmoError(e)) throw e;
      const column = columnOfValidatedField(e.details.field) ?? null;
      const { field: _field, reason, ...params } = e.details;
      bad.push({ line, column, reason: String(reason ?? e.code), params });
      continue;
    }
    const key = rowKey(input);
    const earlier = firstLine.get(key);
    if (earlier !== undefined) {
      bad.push({ line, column: null, reason: 'DUPLICATE_ROW', params: { line: earlier } });
      continue;
    }
    firstLine.set(key, line);
    rows.push({ line, input, key });
  }
  bad.sort((a, b) => a.line - b.line);
  return { encoding, columns: columns.filter((c): c is CsvColumn => c !== null), rows, bad };
}
