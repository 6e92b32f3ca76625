/**
 * The additional authenticated data a TOTP seed is sealed with: a ciphertext copied into another
 * member's row (or another society's) does not decrypt.
 */
export function totpSealContext(societyId: number, memberId: number): string {
  return `kosmo:totp:${societyId}:${memberId}`;
}
