import type { PasskeyRow } from '../db/entities/index.js';
import type { StoredPasskey } from '../credentials/passkey/index.js';

export function storedPasskeyOf(p: PasskeyRow): StoredPasskey {
  return { credentialId: p.credentialId, publicKey: p.publicKey, counter: Number(p.counter), transports: p.transports ?? [] };
}
