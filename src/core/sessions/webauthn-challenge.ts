import type { CoreContext } from '../context.js';
import { asDate } from '../db/store/store.js';

export type CeremonyKind = 'registration' | 'authentication';

/**
 * Keeps the challenge of a ceremony just started for this session (server-side, short-lived,
 * WebAuthn L3 §13.4.3); a newer ceremony replaces an older one.
 */
export async function keepWebauthnChallenge(core: CoreContext, sessionId: number, kind: CeremonyKind, challenge: string, ttlMs: number): Promise<void> {
  const store = core.db.store;
  await store.run(
    `INSERT INTO webauthn_challenge (session_id, kind, challenge, expires_at) VALUES (:session, :kind, :challenge, ${store.sql.ts(':expires')})
     ON CONFLICT (session_id) DO UPDATE SET kind = :kind, challenge = :challenge, expires_at = ${store.sql.ts(':expires')}`,
    { session: sessionId, kind, challenge, expires: new Date(core.clock.now().getTime() + ttlMs) },
  );
}

/**
 * Takes the session's pending challenge out before anything is verified: one atomic
 * `DELETE … RETURNING`, so of any number of requests carrying the same answer, on any number of
 * processes, only one gets the challenge to verify against. A missing, expired or other-ceremony
 * challenge is '' — which the verifiers refuse.
 */
export async function takeWebauthnChallenge(core: CoreContext, sessionId: number, kind: CeremonyKind): Promise<string> {
  const rows = await core.db.store.all<{ kind: string; challenge: string; expires_at: unknown }>(`DELETE FROM webauthn_challenge WHERE session_id = :session RETURNING kind, challenge, expires_at`, {
    session: sessionId,
  });
  const row = rows[0];
  if (!row) return '';
  const fresh = (asDate(row.expires_at)?.getTime() ?? 0) > core.clock.now().getTime();
  return row.kind === kind && fresh ? row.challenge : '';
}
