import type { Lang } from '../staff-text/index.js';

/**
 * Commander's usage errors (`error: unknown option '--x'` …) in the staff's language. Commander
 * writes English; the patterns below are its messages (commander 15, lib/command.js), each with
 * the Japanese text. A message not listed stays as commander wrote it.
 */
const JA: [RegExp, (m: RegExpExecArray) => string][] = [
  [/^error: unknown option '([^']+)'/, (m) => `不明なオプション ${m[1]} です。`],
  [/^error: unknown command '([^']+)'/, (m) => `不明なコマンド ${m[1]} です。`],
  [/^error: missing required argument '([^']+)'/, (m) => `引数 <${m[1]}> を指定してください。`],
  [/^error: option '([^']+)' argument missing/, (m) => `オプション ${m[1]} に値を指定してください。`],
  [/^error: required option '([^']+)' not specified/, (m) => `オプション ${m[1]} は必須です。`],
  [/^error: too many arguments(?: for '([^']+)')?\. Expected (\d+) arguments? but got (\d+)/, (m) => `引数が多すぎます(${m[1] ? `${m[1]} の` : ''}引数は ${m[2]} 個、指定は ${m[3]} 個)。`],
  [/^error: option '([^']+)' argument '([^']*)' is invalid\./, (m) => `オプション ${m[1]} の値 ${m[2]} が正しくありません。`],
  [/^error: (.+) cannot be used with (.+)$/, (m) => `${m[1]} と ${m[2]} は一緒に使えません。`],
];
const SUGGESTION = /\n\(Did you mean (?:one of )?(.+)\?\)\s*$/;

/** The message without commander's `error: ` prefix, in `lang`. */
export function commanderErrorText(lang: Lang, message: string): string {
  const text = message.trim();
  const suggestion = SUGGESTION.exec(text)?.[1];
  const main = text.replace(SUGGESTION, '');
  if (lang === 'en') return main.replace(/^error: /, '') + (suggestion ? ` (did you mean ${suggestion}?)` : '');
  for (const [pattern, render] of JA) {
    const m = pattern.exec(main);
    if (m) return render(m) + (suggestion ? `もしかして ${suggestion} ですか?` : '');
  }
  return main.replace(/^error: /, '');
}
