/**
 * The documented columns of a member file (docs/import.md), with the Japanese headers office
 * software uses. Headers are compared after NFKC folding, lower-casing and removing spaces,
 * hyphens and underscores, so `Birth Date`, `birth-date` and `ﾒｰﾙｱﾄﾞﾚｽ` all match.
 */
export const CSV_COLUMNS = ['name', 'kana', 'birth_date', 'card_symbol', 'card_number', 'card_branch', 'relationship', 'email'] as const;
export type CsvColumn = (typeof CSV_COLUMNS)[number];

export const REQUIRED_COLUMNS: CsvColumn[] = ['name', 'kana', 'birth_date'];

const ALIASES: Record<CsvColumn, string[]> = {
  name: ['name', '氏名', '名前', '加入者氏名'],
  kana: ['kana', 'カナ', 'フリガナ', 'ふりがな', '氏名カナ', 'カナ氏名'],
  birth_date: ['birth_date', 'birthdate', 'birthday', '生年月日'],
  card_symbol: ['card_symbol', 'symbol', '記号'],
  card_number: ['card_number', 'number', '番号'],
  card_branch: ['card_branch', 'branch', '枝番'],
  relationship: ['relationship', '続柄', '本人家族'],
  email: ['email', 'mail', 'e_mail', 'メールアドレス', 'メール'],
};

export function foldHeader(h: string): string {
  return h
    .normalize('NFKC')
    .trim()
    .toLowerCase()
    .replace(/[\s_\-・]/g, '');
}

const LOOKUP = new Map<string, CsvColumn>();
for (const [col, names] of Object.entries(ALIASES) as [CsvColumn, string[]][]) for (const n of names) LOOKUP.set(foldHeader(n), col);

export function columnFor(header: string): CsvColumn | undefined {
  return LOOKUP.get(foldHeader(header));
}

/** The member-input field a column fills, and the field name core validation reports it as. */
export const INPUT_FIELD: Record<CsvColumn, { input: string; validated: string }> = {
  name: { input: 'name', validated: 'name' },
  kana: { input: 'kana', validated: 'kana' },
  birth_date: { input: 'birthDate', validated: 'birth-date' },
  card_symbol: { input: 'cardSymbol', validated: 'card-symbol' },
  card_number: { input: 'cardNumber', validated: 'card-number' },
  card_branch: { input: 'cardBranch', validated: 'card-branch' },
  relationship: { input: 'relationship', validated: 'relationship' },
  email: { input: 'email', validated: 'email' },
};

export function columnOfValidatedField(field: unknown): CsvColumn | undefined {
  return (Object.entries(INPUT_FIELD) as [CsvColumn, { validated: string }][]).find(([, f]) => f.validated === field)?.[0];
}
