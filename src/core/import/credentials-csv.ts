import { stringify } from 'csv-stringify/sync';
import type { IssuedCredential } from './import-members.js';
import { isoJapan } from '../util/japan-time.js';

export const CREDENTIAL_COLUMNS = ['line', 'user_id', 'password', 'name', 'kana', 'card_symbol', 'card_number', 'card_branch', 'relationship', 'email', 'expires_at'] as const;

/**
 * The print shop's file: one row per member with the provisional credentials and the expiry
 * (Japan time). UTF-8 with a byte-order mark, CRLF line ends: what Excel opens without garbling.
 */
export function credentialsCsv(creds: IssuedCredential[]): string {
  const rows = creds.map((c) => [c.line, c.userId, c.password, c.name, c.kana, c.cardSymbol ?? '', c.cardNumber ?? '', c.cardBranch ?? '', c.relationship, c.email ?? '', isoJapan(c.expiresAt)]);
  return '\uFEFF' + stringify([[...CREDENTIAL_COLUMNS], ...rows], { record_delimiter: 'windows' });
}
