import type { Key } from 'ink';

/** True for keys that edit text: printable input, not a command key. */
function printable(input: string, key: Key): boolean {
  if (key.ctrl || key.meta || key.return || key.escape || key.tab || key.upArrow || key.downArrow || key.leftArrow || key.rightArrow) return false;
  if (key.pageUp || key.pageDown || key.home || key.end || key.backspace || key.delete) return false;
  return input.length > 0;
}

/** A one-line text field: typing appends (pasted text too), Backspace removes the last character. */
export function editText(value: string, input: string, key: Key): string | null {
  if (key.backspace || key.delete) return [...value].slice(0, -1).join('');
  // eslint-disable-next-line no-control-regex -- strips control characters from typed input
  if (printable(input, key)) return value + input.replace(/[\u0000-\u001f\u007f]/g, '');
  return null;
}
