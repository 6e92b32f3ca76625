import { describe, it, expect } from 'vitest';
import iconv from 'iconv-lite';
import { parseMemberCsv } from '../../../src/core/import/parse-member-csv.js';
import { decodeCsv } from '../../../src/core/import/decode-csv.js';

const TODAY = new Date('2026-04-01T00:00:00Z');
const enc = (s: string) => Buffer.from(s, 'utf8');

function fileError(text: string): string {
  try {
    parseMemberCsv(enc(text), TODAY);
  } catch (e) {
    expect((e as { code: string }).code).toBe('INPUT_INVALID');
    return JSON.stringify((e as { details: Record<string, unknown> }).details);
  }
  throw new Error('expected the file to be refused');
}

describe('decodeCsv', () => {
  it('tells UTF-8, UTF-8 with BOM and Shift_JIS (cp932) apart', () => {
    expect(decodeCsv(enc('氏名\n'))).toEqual({ text: '氏名\n', encoding: 'utf-8' });
    expect(decodeCsv(enc('\uFEFF氏名\n'))).toEqual({ text: '氏名\n', encoding: 'utf-8-bom' });
    expect(decodeCsv(iconv.encode('氏名,髙橋,①\n', 'cp932'))).toEqual({ text: '氏名,髙橋,①\n', encoding: 'shift_jis' });
  });
});

describe('parseMemberCsv', () => {
  it('maps English and Japanese headers, spelled the ways office software writes them', () => {
    const a = parseMemberCsv(enc('Name,KANA,Birth Date,card-symbol,Card Number,枝番,続柄,ﾒｰﾙｱﾄﾞﾚｽ\n山田太郎,ﾔﾏﾀﾞﾀﾛｳ,1979-08-22,12,345,1,本人,Taro@Example.jp\n'), TODAY);
    expect(a.columns).toEqual(['name', 'kana', 'birth_date', 'card_symbol', 'card_number', 'card_branch', 'relationship', 'email']);
    expect(a.bad).toEqual([]);
    expect(a.rows).toEqual([
      {
        line: 2,
        key: '12|345|1',
        input: { name: '山田太郎', kana: 'ヤマダタロウ', birthDate: '1979-08-22', cardSymbol: '12', cardNumber: '345', cardBranch: '1', relationship: 'self', email: 'taro@example.jp' },
      },
    ]);
    const b = parseMemberCsv(enc('氏名,フリガナ,生年月日,記号,番号\n'), TODAY);
    expect(b.columns).toEqual(['name', 'kana', 'birth_date', 'card_symbol', 'card_number']);
  });

  it('accepts Excel dates, an empty relationship (本人) and 被保険者/被扶養者; skips blank lines', () => {
    const r = parseMemberCsv(enc('name,kana,birth_date,relationship\n\nA,ア,1979/8/2,\n,,,\nB,イ,1980年12月3日,被扶養者\nC,ウ,19810105,被保険者\n'), TODAY);
    expect(r.bad).toEqual([]);
    expect(r.rows.map((x) => [x.line, x.input.birthDate, x.input.relationship])).toEqual([
      [3, '1979-08-02', 'self'],
      [5, '1980-12-03', 'family'],
      [6, '1981-01-05', 'self'],
    ]);
    // Rows without a card are told apart by name, kana and birth date.
    expect(r.rows[0]!.key).toBe('person:A|ア|1979-08-02');
  });

  it('reports each bad row with its line and column, and keeps going', () => {
    const r = parseMemberCsv(
      enc(
        [
          'name,kana,birth_date,card_number,email',
          'A,ア,2030-01-01,1,', // future
          'B,Bee,1980-01-01,2,', // kana
          'C,ウ,1980-01-01,3!,', // card
          'D,エ,1980-01-01,4,d@', // email
          ',オ,1980-01-01,5,', // name
          'F,カ,1980-01-01,6,,surplus', // field count
          'G,キ,1980-01-01,7,',
          'H,ク,1980-01-01,7,', // same card as the line before
        ].join('\n'),
      ),
      TODAY,
    );
    expect(r.bad.map((b) => [b.line, b.column])).toEqual([
      [2, 'birth_date'],
      [3, 'kana'],
      [4, 'card_number'],
      [5, 'email'],
      [6, 'name'],
      [7, null],
      [9, null],
    ]);
    expect(r.bad.at(-1)!).toMatchObject({ reason: 'DUPLICATE_ROW', params: { line: 8 } });
    expect(r.rows.map((x) => x.line)).toEqual([8]);
  });

  it('reports a broken quote as a bad row with its line', () => {
    const r = parseMemberCsv(enc('name,kana,birth_date\nA,ア,1980-01-01\n"B,イ,1980-01-01\n'), TODAY);
    expect(r.rows.map((x) => x.line)).toEqual([2]);
    expect(r.bad).toHaveLength(1);
    expect(r.bad[0]!.line).toBeGreaterThanOrEqual(3);
    expect(r.bad[0]!).toMatchObject({ reason: 'CSV_SYNTAX', params: { csvCode: expect.stringMatching(/^CSV_/) } });
  });

  it('refuses a file whose header is wrong, as a whole', () => {
    expect(fileError('')).toContain('FILE_EMPTY');
    expect(fileError('name,kana,birth_date,nickname\n')).toContain('"column":"nickname"');
    expect(fileError('name,kana\nA,ア\n')).toContain('birth_date');
    expect(fileError('name,氏名,kana,birth_date\n')).toContain('COLUMN_TWICE');
  });
});
