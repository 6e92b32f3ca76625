/**
 * The core's prepared-statement store: the few statements that must be one atomic conditional
 * change (security counters, single-use values) or that sit on every request, with their values
 * bound as parameters — never formatted into the SQL text. MikroORM stays for the domain's units
 * of work and for migrations (DESIGN.md §2); this is the "store behind the core" for the rest.
 *
 * SQL is written once with `:name` parameters; a dialect fragment (`Dialect`) covers the few
 * places where SQLite and PostgreSQL differ (timestamps: integer milliseconds vs timestamptz).
 */
export type StoreValue = string | number | boolean | Date | null;
export type StoreParams = Record<string, StoreValue>;
export type StoreRow = Record<string, unknown>;

export interface StoreQueries {
  /** The dialect's fragments, for the statements written against this store. */
  sql: Dialect;
  /** Rows of a SELECT or of a statement with RETURNING. */
  all<T extends StoreRow = StoreRow>(sql: string, params?: StoreParams): Promise<T[]>;
  /** How many rows a statement without RETURNING changed. */
  run(sql: string, params?: StoreParams): Promise<number>;
}

export interface Store extends StoreQueries {
  dialect: 'sqlite' | 'postgresql';
  /** Runs `work` in one transaction; its statements commit or roll back together. */
  transaction<T>(work: (tx: StoreQueries) => Promise<T>): Promise<T>;
  close(): Promise<void>;
}

/** The dialect differences the store's SQL needs, as SQL fragments. */
export interface Dialect {
  /** A timestamp parameter. */
  ts(param: string): string;
  /** `expr` plus `secondsExpr` seconds, for timestamp columns. */
  plusSeconds(expr: string, secondsExpr: string): string;
  /**
   * One top-level member of a JSON column (SQLite: its JSON text; PostgreSQL: jsonb, which the
   * driver parses). `key` is a fixed name from the code, never input.
   */
  jsonMember(column: string, key: string): string;
}

/** A JSON member name the dialects may splice into SQL: letters and digits only. */
export function jsonKey(key: string): string {
  if (!/^[A-Za-z][A-Za-z0-9]*$/.test(key)) throw new TypeError(`store: not a JSON member name: ${JSON.stringify(key)}`);
  return key;
}

/** A timestamp read from either dialect (SQLite: integer ms; PostgreSQL: Date). */
export function asDate(value: unknown): Date | null {
  if (value === null || value === undefined) return null;
  if (value instanceof Date) return value;
  return new Date(Number(value));
}

/** An integer read from either dialect (PostgreSQL returns bigint as a string). */
export function asInt(value: unknown): number {
  return Number(value);
}
