/**
 * Input folding shared by every front end: NFKC turns full-width letters and digits (what a
 * Japanese IME types) into ASCII, and trims surrounding white space.
 */
export function foldInput(value: unknown): string {
  if (typeof value !== 'string') return '';
  return value.normalize('NFKC').trim();
}

/** True when the text holds a control character (C0, DEL, C1) that no field accepts. */
export function hasControlChars(value: string): boolean {
  // eslint-disable-next-line no-control-regex -- matching control characters is the point
  return /[\u0000-\u001f\u007f-\u009f]/.test(value);
}
