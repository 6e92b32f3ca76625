import { errorText, t, type Lang } from '../staff-text/index.js';
import { KosmoError, KosmoValidationError } from '../core/index.js';

export type Translate = ((key: string, vars?: Record<string, unknown>) => string) & { readonly lang: Lang };

/** The TUI speaks from the staff-text catalogue it shares with the CLI (Japanese, English with KOSMO_LANG=en). */
export function translator(lang: Lang): Translate {
  return Object.assign((key: string, vars: Record<string, unknown> = {}) => t(lang, key, vars), { lang });
}

/** Staff text for an expected error (banner / inline message); null for an unexpected one. */
export function kosmoErrorText(lang: Lang, err: unknown): string | null {
  if (!(err instanceof KosmoError)) return null;
  const fallback = err instanceof KosmoValidationError ? err.messages.join(' ') : err.message;
  return errorText(lang, err.code, { ...err.details }, fallback);
}
