/**
 * An address as the portal repeats it back after the forgot-user-ID form (manual 3-4 ④ shows the
 * address used): the first one or two characters of the local part, `***`, and the domain —
 * `taro@example.jp` → `ta***@example.jp`. It is built from what was typed only, whether or not any
 * member has that address, so it says nothing about accounts; the mask hides the rest of the
 * address from whoever looks at the screen next, and `***` never tells the length.
 */
export function maskEmail(typed: string): string {
  const address = typed.normalize('NFKC').trim();
  const at = address.lastIndexOf('@');
  if (at <= 0) return '***';
  const local = [...address.slice(0, at)];
  const domain = address.slice(at + 1);
  const keep = local.length >= 4 ? 2 : local.length >= 2 ? 1 : 0;
  return `${local.slice(0, keep).join('')}***@${domain}`;
}
