import type { StoreParams, StoreValue } from './store.js';

/** `:name` parameters (not `::` casts). */
const NAMED = /(?<![:\w]):([A-Za-z_][A-Za-z0-9_]*)/g;

/** PostgreSQL form: `$1 … $n` in order of first use, and the values in that order. */
export function toPositional(sql: string, params: StoreParams): { text: string; values: StoreValue[] } {
  const order: string[] = [];
  const text = sql.replace(NAMED, (_m, name: string) => {
    if (!(name in params)) throw new TypeError(`store: no value for :${name}`);
    let i = order.indexOf(name);
    if (i < 0) i = order.push(name) - 1;
    return `$${i + 1}`;
  });
  return { text, values: order.map((n) => params[n]!) };
}

/** The names a statement uses (better-sqlite3 refuses unused named values). */
export function usedNames(sql: string): Set<string> {
  return new Set([...sql.matchAll(NAMED)].map((m) => m[1]!));
}
