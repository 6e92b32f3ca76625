import type { CoreContext } from '../context.js';
import { asDate } from '../db/store/store.js';

/** An oidc-provider model's stored payload (JSON). */
export type OidcPayload = Record<string, unknown>;

/**
 * The OpenID Provider's state (sessions, interactions, grants, codes, tokens) in the database, per
 * society and model kind — what oidc-provider's adapter interface asks for, on the core's
 * prepared-statement store. Every instance of `kosmo serve` on one database sees the same state,
 * so a flow authorized on one is redeemed on another.
 */
export interface OidcStorage {
  upsert(id: string, payload: OidcPayload, expiresInSeconds: number | undefined): Promise<void>;
  find(id: string): Promise<OidcPayload | undefined>;
  findByUid(uid: string): Promise<OidcPayload | undefined>;
  findByUserCode(userCode: string): Promise<OidcPayload | undefined>;
  /**
   * Marks a single-use artifact (an authorization code) used: one conditional UPDATE, so of two
   * redemptions racing on two instances exactly one gets `true` (RFC 6749 §4.1.2: a code is used
   * once). The caller refuses the other.
   */
  consume(id: string): Promise<boolean>;
  destroy(id: string): Promise<void>;
  revokeByGrantId(grantId: string): Promise<void>;
}

function str(v: unknown): string | null {
  return typeof v === 'string' && v.length > 0 ? v.slice(0, 255) : null;
}

export function oidcStorage(core: CoreContext, societyId: number, kind: string): OidcStorage {
  const store = core.db.store;
  const ts = store.sql.ts;
  const live = `(expires_at IS NULL OR expires_at > ${ts(':now')})`;
  const read = (rows: Record<string, unknown>[]): OidcPayload | undefined => {
    const r = rows[0];
    if (!r) return undefined;
    const payload = JSON.parse(String(r.payload)) as OidcPayload;
    const consumed = asDate(r.consumed_at);
    if (consumed) payload.consumed = Math.floor(consumed.getTime() / 1000);
    return payload;
  };
  const key = { society: societyId, kind };
  return {
    async upsert(id, payload, expiresIn) {
      const now = core.clock.now();
      const { consumed: _consumed, ...rest } = payload;
      await store.run(
        `INSERT INTO oidc_payload (society_id, kind, id, payload, grant_id, user_code, uid, expires_at, consumed_at)
         VALUES (:society, :kind, :id, :payload, :grantId, :userCode, :uid, ${ts(':expires')}, NULL)
         ON CONFLICT (society_id, kind, id) DO UPDATE SET payload = excluded.payload, grant_id = excluded.grant_id, user_code = excluded.user_code, uid = excluded.uid, expires_at = excluded.expires_at`,
        {
          ...key,
          id,
          payload: JSON.stringify(rest),
          grantId: str(payload.grantId),
          userCode: str(payload.userCode),
          uid: str(payload.uid),
          expires: typeof expiresIn === 'number' ? new Date(now.getTime() + expiresIn * 1000) : null,
        },
      );
    },
    async find(id) {
      return read(await store.all(`SELECT payload, consumed_at FROM oidc_payload WHERE society_id = :society AND kind = :kind AND id = :id AND ${live}`, { ...key, id, now: core.clock.now() }));
    },
    async findByUid(uid) {
      return read(await store.all(`SELECT payload, consumed_at FROM oidc_payload WHERE society_id = :society AND kind = :kind AND uid = :uid AND ${live}`, { ...key, uid, now: core.clock.now() }));
    },
    async findByUserCode(userCode) {
      return read(
        await store.all(`SELECT payload, consumed_at FROM oidc_payload WHERE society_id = :society AND kind = :kind AND user_code = :userCode AND ${live}`, {
          ...key,
          userCode,
          now: core.clock.now(),
        }),
      );
    },
    async consume(id) {
      const n = await store.run(`UPDATE oidc_payload SET consumed_at = ${ts(':now')} WHERE society_id = :society AND kind = :kind AND id = :id AND consumed_at IS NULL`, {
        ...key,
        id,
        now: core.clock.now(),
      });
      return n === 1;
    },
    async destroy(id) {
      await store.run(`DELETE FROM oidc_payload WHERE society_id = :society AND kind = :kind AND id = :id`, { ...key, id });
    },
    async revokeByGrantId(grantId) {
      // Every artifact of the grant, whatever its kind (RFC 6749 §4.1.2: a reused code revokes what it issued).
      await store.run(`DELETE FROM oidc_payload WHERE society_id = :society AND grant_id = :grantId`, { society: societyId, grantId });
    },
  };
}

/** Housekeeping: expired provider state is deleted (run with the session purge). */
export async function purgeExpiredOidcState(core: CoreContext): Promise<number> {
  return core.db.store.run(`DELETE FROM oidc_payload WHERE expires_at IS NOT NULL AND expires_at <= ${core.db.store.sql.ts(':now')}`, { now: core.clock.now() });
}
