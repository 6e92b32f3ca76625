import { type Random, randomString, UNAMBIGUOUS_DIGITS, UNAMBIGUOUS_LOWER, UNAMBIGUOUS_UPPER } from '../random.js';

/**
 * Provisional credentials go out on paper, so they use characters that cannot be misread
 * (no 0/O, 1/l/I). The ID is 10 characters (`k` + 9, ~45 bits, unique-checked); the password 12
 * characters from 55 symbols (~69 bits), with each class present so any society policy accepts it.
 */
export function generateProvisionalUserId(random: Random): string {
  return 'k' + randomString(random, UNAMBIGUOUS_LOWER + UNAMBIGUOUS_DIGITS, 9);
}

export function generateProvisionalPassword(random: Random): string {
  const all = UNAMBIGUOUS_LOWER + UNAMBIGUOUS_UPPER + UNAMBIGUOUS_DIGITS;
  for (;;) {
    const p = randomString(random, all, 12);
    if (/[a-z]/.test(p) && /[A-Z]/.test(p) && /[0-9]/.test(p)) return p;
  }
}
