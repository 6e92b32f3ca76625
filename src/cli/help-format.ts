import type { Command, Help, Option } from 'commander';
import { t, type Lang } from '../staff-text/index.js';

/** East Asian Wide and Fullwidth characters take two terminal columns. */
const WIDE = '\\u1100-\\u115f\\u2e80-\\u303e\\u3041-\\u33ff\\u3400-\\u4dbf\\u4e00-\\u9fff\\ua000-\\ua4cf\\uac00-\\ud7a3\\uf900-\\ufaff\\ufe30-\\ufe4f\\uff00-\\uff60\\uffe0-\\uffe6';
const WIDE_CHAR = new RegExp(`[${WIDE}]`, 'u');
/** Japanese breaks between any two characters, except before closing and after opening marks. */
const OPEN = '(「『【〔';
const CLOSE = '、。,.)」』】〕:';
const CHUNK = new RegExp(`\\s*[${OPEN}]*(?:[${WIDE}]|[^\\s${WIDE}]+)[${CLOSE}]*`, 'gu');

export function displayWidth(text: string): number {
  let width = 0;
  // eslint-disable-next-line no-control-regex
  for (const ch of text.replace(/\u001b\[[0-9;]*m/g, '')) width += WIDE_CHAR.test(ch) ? 2 : 1;
  return width;
}

/** Wraps at spaces and, in Japanese text, between characters; widths in terminal columns. */
export function wrapText(text: string, width: number): string {
  const out: string[] = [];
  for (const line of text.split(/\r\n|\n/)) {
    const chunks = line.match(CHUNK);
    if (!chunks) {
      out.push('');
      continue;
    }
    let current = chunks.shift()!;
    let used = displayWidth(current);
    for (const chunk of chunks) {
      const w = displayWidth(chunk);
      if (used + w <= width) {
        current += chunk;
        used += w;
      } else {
        out.push(current);
        current = chunk.trimStart();
        used = displayWidth(current);
      }
    }
    out.push(current);
  }
  return out.join('\n');
}

/**
 * Commander's help in the staff's language: headings (`使い方:` …), defaults (`既定: 100`), the
 * usage words, and widths that count a Japanese character as two columns. Descriptions themselves
 * come from the catalogue where each command is registered.
 */
export function localizeHelp(program: Command, lang: Lang): void {
  const words = (s: string) => s.replace(/\[options\]/g, `[${t(lang, 'help.usageWord.options')}]`).replace(/\[command\]/g, `[${t(lang, 'help.usageWord.command')}]`);
  program.configureHelp({
    showGlobalOptions: true,
    styleTitle: (title: string) => {
      const key = `help.title.${title}`;
      const text = t(lang, key);
      return text === key ? title : text;
    },
    styleUsage: words,
    styleSubcommandTerm: words,
    displayWidth,
    boxWrap(this: Help, text: string, width: number) {
      return width < this.minWidthToWrap ? text : wrapText(text, width);
    },
    optionDescription(option: Option) {
      const showDefault = option.defaultValue !== undefined && (option.required || option.optional);
      if (!showDefault) return option.description;
      const value = option.defaultValueDescription ?? String(option.defaultValue);
      const note = t(lang, 'help.default', { value });
      return lang === 'ja' ? `${option.description}(${note})` : `${option.description} (${note})`;
    },
  } as Partial<Help>);
  program.helpOption('-h, --help', t(lang, 'help.opt.help'));
  program.helpCommand('help [command]', t(lang, 'help.cmd.help'));
}
