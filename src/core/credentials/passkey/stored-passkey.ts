/**
 * What the caller persists per passkey: the parts of a WebAuthn L3 §4 "credential record" that
 * verification needs. The label (SCREENS §2.5 認証ラベル) and owner live beside it in the database.
 */
export interface StoredPasskey {
  /** Credential ID, base64url without padding (§7.1 credentialId). Unique across all members (§7.1). */
  credentialId: string;
  /** COSE_Key public key bytes, base64url (§7.1 credentialPublicKey). */
  publicKey: string;
  /** Last signature counter seen (§6.1.1); compare-and-set it after each successful assertion. */
  counter: number;
  /** Transport hints from registration (§5.8.4), echoed in allow/excludeCredentials. */
  transports: string[];
}
