import type { MemberDetail, MemberSummary } from '../core/index.js';
import { memberDetailLines, statusText } from '../staff-text/format.js';
import type { Lang } from '../staff-text/lang.js';
import type { CliRuntime } from './runtime.js';

export { localTime } from '../staff-text/format.js';

/** One search result per line; the status in the TUI's words. */
export function memberLine(lang: Lang, m: MemberSummary): string {
  return [m.userId.padEnd(14), m.name, `(${m.kana})`, m.birthDate, statusText(lang, m.status), m.cardNumber ?? '-', m.email ?? '-'].join('  ');
}

export function memberDetailText(rt: CliRuntime, d: MemberDetail): string {
  return memberDetailLines(rt.lang, d)
    .map(([k, v]) => `${k}: ${v}`)
    .join('\n');
}
