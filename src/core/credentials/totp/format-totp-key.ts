import { normalizeTotpKey } from './normalize-totp-key.js';

/**
 * The key as shown under 「スキャンできませんか?」 (SCREENS §2.6): canonical base32 in groups of
 * four separated by single spaces ("JBSW Y3DP EHPK 3PXP"), the grouping Google Authenticator
 * and most sites use. Apps ignore the spaces on entry, and normalizeTotpKey removes them.
 */
export function formatTotpKey(secret: string): string {
  return normalizeTotpKey(secret)
    .match(/.{1,4}/g)!
    .join(' ');
}
