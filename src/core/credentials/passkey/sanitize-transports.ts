/** §5.8.4 AuthenticatorTransport values, plus "cable" and "smart-card" that Chromium reports. */
const KNOWN_TRANSPORTS: ReadonlySet<string> = new Set(['ble', 'cable', 'hybrid', 'internal', 'nfc', 'smart-card', 'usb']);

/**
 * Keeps only known transport names, once each. They are hints the browser supplied at
 * registration; we store them only to echo them back in allow/excludeCredentials (§5.8.3), so
 * unknown strings are dropped rather than persisted.
 */
export function sanitizeTransports(transports: readonly unknown[] | undefined): string[] {
  const out: string[] = [];
  for (const t of transports ?? []) {
    if (typeof t === 'string' && KNOWN_TRANSPORTS.has(t) && !out.includes(t)) {
      out.push(t);
    }
  }
  return out;
}
