import { generateKeyPairSync, randomBytes, createHash } from 'node:crypto';
import type { CoreContext } from '../context.js';
import type { Actor } from '../actor.js';
import { auditedTransaction } from '../audit/insert-audit.js';
import { asDate, type StoreQueries } from '../db/store/store.js';
import { RETIRED_KEY_KEEP_MS } from './oidc-policy.js';

/** A key's private part is sealed with the secret key, bound to its society and key id (AAD). */
function sealContext(societyId: number, kid: string): string {
  return `kosmo:oidc-key:${societyId}:${kid}`;
}

export interface OidcKeyMaterial {
  /** Private JWKs for ID token signing, the current key first, then retired ones still verifying. */
  signing: Record<string, unknown>[];
  /** Secrets that sign the provider's cookies (the current one first). */
  cookieKeys: string[];
  /** Changes whenever a key is added or retired: a running provider reloads its keys then. */
  version: string;
}

export interface OidcKeyView {
  kid: string;
  alg: string;
  use: 'sig' | 'cookie';
  createdAt: string;
  retiredAt: string | null;
}

/** A new ES256 key pair (P-256, RFC 7518 §3.4) as JWKs; the kid is the RFC 7638 thumbprint. */
function newSigningKey(): { kid: string; publicJwk: Record<string, unknown>; privateJwk: Record<string, unknown> } {
  const { privateKey } = generateKeyPairSync('ec', { namedCurve: 'P-256' });
  const jwk = privateKey.export({ format: 'jwk' }) as Record<string, string>;
  const thumbprint = createHash('sha256')
    .update(JSON.stringify({ crv: jwk.crv, kty: jwk.kty, x: jwk.x, y: jwk.y }))
    .digest('base64url');
  const publicJwk = { kty: jwk.kty, crv: jwk.crv, x: jwk.x, y: jwk.y, kid: thumbprint, alg: 'ES256', use: 'sig' };
  return { kid: thumbprint, publicJwk, privateJwk: { ...publicJwk, d: jwk.d } };
}

async function insertSigningKey(core: CoreContext, tx: StoreQueries, societyId: number, now: Date): Promise<string> {
  const key = newSigningKey();
  await tx.run(
    `INSERT INTO oidc_key (society_id, kid, key_use, alg, public_jwk, private_sealed, created_at, retired_at) VALUES (:society, :kid, 'sig', 'ES256', :pub, :sealed, ${tx.sql.ts(':now')}, NULL)`,
    { society: societyId, kid: key.kid, pub: JSON.stringify(key.publicJwk), sealed: core.secretBox.seal(JSON.stringify(key.privateJwk), sealContext(societyId, key.kid)), now },
  );
  return key.kid;
}

async function insertCookieKey(core: CoreContext, tx: StoreQueries, societyId: number, now: Date): Promise<void> {
  const kid = `cookie-${randomBytes(8).toString('hex')}`;
  await tx.run(
    `INSERT INTO oidc_key (society_id, kid, key_use, alg, public_jwk, private_sealed, created_at, retired_at) VALUES (:society, :kid, 'cookie', 'HS256', NULL, :sealed, ${tx.sql.ts(':now')}, NULL)`,
    { society: societyId, kid, sealed: core.secretBox.seal(randomBytes(32).toString('base64url'), sealContext(societyId, kid)), now },
  );
}

/**
 * Makes sure every society has a current signing key and cookie key (`kosmo init`, `kosmo migrate`,
 * and a provider started for a society added later). Returns how many keys were created.
 */
export async function ensureOidcKeys(core: CoreContext, societyIds?: number[]): Promise<number> {
  const store = core.db.store;
  const ids = societyIds ?? (await store.all<{ id: unknown }>(`SELECT id FROM society ORDER BY id`)).map((r) => Number(r.id));
  let created = 0;
  for (const societyId of ids) {
    created += await store.transaction(async (tx) => {
      const rows = await tx.all<{ key_use: string }>(`SELECT key_use FROM oidc_key WHERE society_id = :society AND retired_at IS NULL`, { society: societyId });
      const now = core.clock.now();
      let n = 0;
      if (!rows.some((r) => r.key_use === 'sig')) {
        await insertSigningKey(core, tx, societyId, now);
        n++;
      }
      if (!rows.some((r) => r.key_use === 'cookie')) {
        await insertCookieKey(core, tx, societyId, now);
        n++;
      }
      return n;
    });
  }
  return created;
}

/**
 * `kosmo keys rotate`: a new signing key signs from now on; the previous one is retired but stays
 * in the JWKS for RETIRED_KEY_KEEP_MS, so tokens it signed still verify until they expire. Keys
 * retired longer ago than that are deleted. Audited.
 */
export async function rotateOidcKeys(core: CoreContext, actor: Actor, input: { societyId: number }): Promise<{ kid: string; retired: string[]; removed: number }> {
  const { societyId } = input;
  const now = core.clock.now();
  return auditedTransaction(core, async (tx) => {
    const current = await tx.all<{ kid: string }>(`SELECT kid FROM oidc_key WHERE society_id = :society AND key_use = 'sig' AND retired_at IS NULL`, { society: societyId });
    await tx.run(`UPDATE oidc_key SET retired_at = ${tx.sql.ts(':now')} WHERE society_id = :society AND key_use = 'sig' AND retired_at IS NULL`, { society: societyId, now });
    const removed = await tx.run(`DELETE FROM oidc_key WHERE society_id = :society AND retired_at IS NOT NULL AND retired_at < ${tx.sql.ts(':cutoff')}`, {
      society: societyId,
      cutoff: new Date(now.getTime() - RETIRED_KEY_KEEP_MS),
    });
    const kid = await insertSigningKey(core, tx, societyId, now);
    await tx.audit({ societyId, actor, action: 'oidc.keys.rotate', details: { kid, retired: current.map((r) => r.kid) } });
    return { kid, retired: current.map((r) => r.kid), removed };
  });
}

/** The keys staff see (`kosmo keys list`): ids and dates, never key material. */
export async function listOidcKeys(core: CoreContext, societyId: number): Promise<OidcKeyView[]> {
  const rows = await core.db.store.all(`SELECT kid, alg, key_use, created_at, retired_at FROM oidc_key WHERE society_id = :society ORDER BY id`, { society: societyId });
  return rows.map((r) => ({
    kid: String(r.kid),
    alg: String(r.alg),
    use: r.key_use === 'cookie' ? 'cookie' : 'sig',
    createdAt: asDate(r.created_at)!.toISOString(),
    retiredAt: asDate(r.retired_at)?.toISOString() ?? null,
  }));
}

/**
 * The key material a society's OpenID Provider runs with, opened with the secret key: current
 * signing key first, then retired keys younger than RETIRED_KEY_KEEP_MS (verification only).
 */
export async function oidcKeyMaterial(core: CoreContext, societyId: number): Promise<OidcKeyMaterial> {
  const now = core.clock.now().getTime();
  const rows = await core.db.store.all(`SELECT id, kid, key_use, private_sealed, retired_at FROM oidc_key WHERE society_id = :society ORDER BY id DESC`, { society: societyId });
  const signing: Record<string, unknown>[] = [];
  const cookieKeys: string[] = [];
  const live: string[] = [];
  for (const r of rows) {
    const retired = asDate(r.retired_at);
    if (retired && now - retired.getTime() > RETIRED_KEY_KEEP_MS) continue;
    const kid = String(r.kid);
    const plain = core.secretBox.open(String(r.private_sealed), sealContext(societyId, kid));
    if (r.key_use === 'cookie') {
      if (!retired) cookieKeys.push(plain);
    } else if (retired) signing.push(JSON.parse(plain) as Record<string, unknown>);
    else signing.unshift(JSON.parse(plain) as Record<string, unknown>);
    live.push(`${kid}:${retired ? 'r' : 'a'}`);
  }
  return { signing, cookieKeys, version: live.sort().join(',') };
}

/** A cheap check whether the key set changed (a rotation by staff while the portal runs). */
export async function oidcKeyVersion(core: CoreContext, societyId: number): Promise<string> {
  const now = core.clock.now().getTime();
  const rows = await core.db.store.all(`SELECT kid, retired_at FROM oidc_key WHERE society_id = :society`, { society: societyId });
  return rows
    .filter((r) => {
      const retired = asDate(r.retired_at);
      return !retired || now - retired.getTime() <= RETIRED_KEY_KEEP_MS;
    })
    .map((r) => `${String(r.kid)}:${r.retired_at === null || r.retired_at === undefined ? 'a' : 'r'}`)
    .sort()
    .join(',');
}
