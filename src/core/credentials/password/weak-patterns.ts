/**
 * Patterns a password may not be, whatever list it is on (NIST 800-63B §3.1.1.2: "repetitive or
 * sequential characters"). Each is a whole-password test: `a1b2c3d4e5` or `Kz7#Kz7#mQ` pass.
 */

/** `00000000`, `aaaaaaaa`: one character, repeated. */
export function isOneCharRepeated(password: string): boolean {
  const chars = [...password];
  return chars.length > 1 && chars.every((c) => c === chars[0]);
}

/**
 * `12341234`, `123123123`, `abcabcabc`: a block repeated, the block shorter than `minLength`. The
 * repetition adds no real length: the member remembers the block, which is below the minimum. A
 * block as long as the minimum, said twice, is a password of its own.
 */
export function isShortBlockRepeated(password: string, minLength: number): boolean {
  const chars = [...password];
  const n = chars.length;
  for (let size = 1; size <= n / 2 && size < minLength; size++) {
    if (n % size !== 0) continue;
    let repeats = true;
    for (let i = size; i < n && repeats; i++) repeats = chars[i] === chars[i - size];
    if (repeats) return true;
  }
  return false;
}

/**
 * `12345678`, `87654321`, `987654321`, `7890123`, `abcdefgh`, `zyxwvuts`: digits or letters (any
 * case) each one up or down from the one before. Digits wrap around (…8 9 0 1…, as on a keyboard).
 */
export function isPlainSequence(password: string): boolean {
  const s = password.toLowerCase();
  const digits = /^[0-9]+$/.test(s);
  if (s.length < 3 || (!digits && !/^[a-z]+$/.test(s))) return false;
  const step = (i: number) => {
    const d = s.charCodeAt(i) - s.charCodeAt(i - 1);
    return digits ? ((d % 10) + 10) % 10 : d;
  };
  const first = step(1);
  const up = first === 1;
  const down = digits ? first === 9 : first === -1;
  if (!up && !down) return false;
  for (let i = 2; i < s.length; i++) if (step(i) !== first) return false;
  return true;
}

/**
 * Whether `password` contains `word` (case-insensitive, white space in the word ignored): the user
 * ID, the society's code or name (ASVS 6.2.11 context-specific words). A word shorter than 4
 * characters (`dkp`) is no word a password is built on, and would refuse random passwords by chance.
 */
export function containsWord(password: string, word: string): boolean {
  const w = word.replace(/\s+/g, '').toLowerCase();
  return [...w].length >= 4 && password.toLowerCase().includes(w);
}
