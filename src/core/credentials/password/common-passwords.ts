import { dictionary } from '@zxcvbn-ts/language-common';

// The zxcvbn-ts common-password dictionary (~30 000 entries from leaked-password frequency lists),
// kept by that project: ASVS 6.2.4 asks for a check against at least the top 3000.
let set: Set<string> | null = null;

export function isCommonPassword(password: string): boolean {
  set ??= new Set(dictionary['passwords-common'].map((p) => p.toLowerCase()));
  return set.has(password.toLowerCase());
}

export function commonPasswordCount(): number {
  isCommonPassword('');
  return set!.size;
}
