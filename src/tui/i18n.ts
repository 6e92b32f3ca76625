import { errorText, t, type Lang } from '../cli/messages.js';
import { KosmoError, KosmoValidationError } from '../core/errors.js';

export type Translate = (key: string, vars?: Record<string, unknown>) => string;

/** The TUI speaks from the CLI's one message catalogue (Japanese, English with KOSMO_LANG=en). */
export function translator(lang: Lang): Translate {
  return (key, vars = {}) => t(lang, key, vars);
}

/** Staff text for an expected error (banner / inline message); null for an unexpected one. */
export function kosmoErrorText(lang: Lang, err: unknown): string | null {
  if (!(err instanceof KosmoError)) return null;
  const fallback = err instanceof KosmoValidationError ? err.messages.join(' ') : err.message;
  return errorText(lang, err.code, { ...err.details }, fallback);
}
