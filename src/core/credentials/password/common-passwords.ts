import { createRequire } from 'node:module';

/**
 * The blocklist of ASVS 6.2.4 / NIST 800-63B §3.1.1.2: passwords from breach corpora and dictionary
 * words, from the zxcvbn-ts project's maintained lists (packages pinned in package.json):
 * - @zxcvbn-ts/language-common: `passwords-common` (~49 000 leaked passwords by frequency) and
 *   `diceware-common` (7 776 words);
 * - @zxcvbn-ts/language-en: English common words (~56 000), first names, last names (~89 000),
 *   Wikipedia words (~30 000), number / month / day words.
 * ~184 000 entries in all, compared in lower case. Entries shorter than the minimum length (8) can
 * never match a password that got this far; they stay in the list, which is used as shipped.
 *
 * Loaded on the first check only (~1 s and ~18 MB heap on the development machine: the packages
 * decompress their lists when required), never when `kosmo --help` runs or the portal starts.
 * `require`, not `import()`, so that the check stays synchronous.
 */
const SOURCES = ['@zxcvbn-ts/language-common', '@zxcvbn-ts/language-en'] as const;

let set: Set<string> | null = null;

function load(): Set<string> {
  const require = createRequire(import.meta.url);
  const words = new Set<string>();
  for (const source of SOURCES) {
    const { dictionary } = require(source) as { dictionary: Record<string, readonly string[]> };
    for (const list of Object.values(dictionary)) for (const word of list) words.add(word.toLowerCase());
  }
  return words;
}

export function isCommonPassword(password: string): boolean {
  set ??= load();
  return set.has(password.toLowerCase());
}

/** How many distinct entries the list has (loads it). */
export function commonPasswordCount(): number {
  set ??= load();
  return set.size;
}
