/**
 * Session lifetimes (DESIGN.md §4; ASVS 7.3.1/7.3.2; NIST SP 800-63B §4.2.3 / §7.1):
 * - a normal session ends after 30 minutes without a request and 12 hours after the last
 *   authentication, whichever comes first;
 * - `ログイン状態の保存` (remember me) makes a persistent cookie once the login is complete:
 *   idle 7 days, absolute 30 days. NIST AAL2 allows 12 h / 30 min re-authentication; a remembered
 *   session is a documented, member-chosen exception like Keycloak's "Remember Me" (its own
 *   idle/max settings), and the second factor was proven at its start.
 * - sessions still in the login steps always use the normal limits.
 */
export const SESSION_LIMITS = {
  standard: { idleMs: 30 * 60_000, absoluteMs: 12 * 3_600_000 },
  persistent: { idleMs: 7 * 86_400_000, absoluteMs: 30 * 86_400_000 },
} as const;

/**
 * The idle deadline moves forward at most once per minute, so an authenticated page view is a
 * read, not a write (DESIGN.md §6 page budget); idle expiry is therefore exact to within a minute.
 */
export const SESSION_TOUCH_INTERVAL_MS = 60_000;

export function limitsFor(persistent: boolean): { idleMs: number; absoluteMs: number } {
  return persistent ? SESSION_LIMITS.persistent : SESSION_LIMITS.standard;
}
