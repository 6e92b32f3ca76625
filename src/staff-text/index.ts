import type { ErrorCode } from '../core/index.js';
import { messagesJa } from './messages-ja.js';
import { messagesEn } from './messages-en.js';
import { errorsJa } from './errors-ja.js';
import { errorsEn } from './errors-en.js';
import { helpJa } from './help-ja.js';
import { helpEn } from './help-en.js';
import type { Lang } from './lang.js';

export { langFromEnv, type Lang } from './lang.js';

/**
 * The staff-facing message catalogue, shared by the CLI and the TUI: Japanese by default, English
 * with KOSMO_LANG=en. Member-facing text lives in the core's code table instead; staff get more
 * detail (the flag, the reason). Core errors carry codes and parameters; the words are here.
 */
export const catalogues: Record<Lang, Record<string, string>> = {
  ja: { ...messagesJa, ...errorsJa, ...helpJa },
  en: { ...messagesEn, ...errorsEn, ...helpEn },
};

function show(v: unknown): string {
  if (v === undefined || v === null) return '';
  if (Array.isArray(v)) return v.map(show).join(', ');
  return String(v);
}

export function hasText(lang: Lang, key: string): boolean {
  return catalogues[lang][key] !== undefined || catalogues.ja[key] !== undefined;
}

export function t(lang: Lang, key: string, vars: Record<string, unknown> = {}): string {
  const template = catalogues[lang][key] ?? catalogues.ja[key] ?? key;
  return template.replace(/\{(\w+)\}/g, (_, k: string) => show(vars[k]));
}

/**
 * The text of a reason code (`REAL_DATE`, `RANGE` with `{min, max}` …). A reason that is not a
 * code in the catalogue is shown as it is.
 */
export function reasonText(lang: Lang, reason: string, params: Record<string, unknown> = {}): string {
  const key = `reason.${reason}`;
  return hasText(lang, key) ? t(lang, key, params) : reason;
}

/** Staff text for an error code: the catalogue's, else `fallback` (the member message). */
export function errorText(lang: Lang, code: ErrorCode | 'USAGE', details: Record<string, unknown>, fallback: string): string {
  const reason = typeof details.reason === 'string' ? details.reason : undefined;
  const vars = reason === undefined ? details : { ...details, reason: reasonText(lang, reason, details) };
  const keys = [...(reason !== undefined ? [`code.${code}.${reason}`] : [`code.${code}.bare`]), `code.${code}`];
  for (const key of keys) if (hasText(lang, key)) return t(lang, key, vars);
  return fallback;
}
