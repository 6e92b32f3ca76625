import { credentialIdField } from './response-fields.js';
import type { StoredPasskey } from './stored-passkey.js';

/**
 * The member's passkey an authentication response claims to come from, or null. Matches the
 * response's `id` (which must equal `rawId`, L3 §5.1 `toJSON()`) against `credentialId` —
 * §7.2 step 5: the credential must be one of those offered in allowCredentials. Untrusted input:
 * anything that is not a plausible credential id simply finds nothing.
 */
export function findPasskeyForResponse(response: unknown, passkeys: StoredPasskey[]): StoredPasskey | null {
  if (typeof response !== 'object' || response === null) return null;
  let id: unknown;
  let rawId: unknown;
  try {
    ({ id, rawId } = response as { id?: unknown; rawId?: unknown });
  } catch {
    return null; // a getter that throws: not a posted JSON body, and never our exception
  }
  if (id !== rawId || !credentialIdField.safeParse(id).success) return null;
  return passkeys.find((p) => p.credentialId === id) ?? null;
}
