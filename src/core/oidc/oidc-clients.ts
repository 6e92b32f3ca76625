import { randomBytes } from 'node:crypto';
import type { CoreContext } from '../context.js';
import type { Actor } from '../actor.js';
import { KosmoError } from '../errors.js';
import { auditedTransaction } from '../audit/insert-audit.js';
import { asDate } from '../db/store/store.js';
import { hasControlChars } from '../util/normalize.js';

export interface OidcClientInput {
  name: string;
  redirectUris: string[];
  postLogoutRedirectUris?: string[];
  /** Run by the society itself: no consent page. */
  firstParty?: boolean;
  /** A client that cannot keep a secret (a native or browser app): PKCE only, no secret. */
  public?: boolean;
}

export interface OidcClientView {
  clientId: string;
  name: string;
  redirectUris: string[];
  postLogoutRedirectUris: string[];
  firstParty: boolean;
  public: boolean;
  createdAt: string;
  updatedAt: string;
}

const LOOPBACK_HOST = /^(localhost|127(?:\.\d{1,3}){3}|\[::1\])$/i;

/**
 * A redirect URI staff may register (RFC 9700 §2.1: exact string matching, so the registered URI
 * is the whole URI): absolute, https — or http only on a loopback host (RFC 8252 §7.3, for
 * development and tests) — with no fragment (RFC 6749 §3.1.2) and no credentials.
 */
export function checkRedirectUri(raw: string, field: string): string {
  let u: URL;
  try {
    u = new URL(raw);
  } catch {
    throw new KosmoError('INPUT_INVALID', { field, reason: 'REDIRECT_URI', value: raw.slice(0, 200) });
  }
  const ok =
    raw.length <= 500 &&
    !hasControlChars(raw) &&
    u.hash === '' &&
    !raw.includes('#') &&
    u.username === '' &&
    u.password === '' &&
    (u.protocol === 'https:' || (u.protocol === 'http:' && LOOPBACK_HOST.test(u.hostname)));
  if (!ok) throw new KosmoError('INPUT_INVALID', { field, reason: 'REDIRECT_URI', value: raw.slice(0, 200) });
  return raw;
}

function checkName(raw: string): string {
  const name = raw.trim();
  if (name.length === 0 || name.length > 100 || hasControlChars(name)) throw new KosmoError('INPUT_INVALID', { field: 'name', reason: 'LENGTH', min: 1, max: 100 });
  return name;
}

function secretContext(clientId: string): string {
  return `kosmo:oidc-client-secret:${clientId}`;
}

/** 256 bits, base64url: far beyond guessing (RFC 6749 §10.10). */
function newClientSecret(): string {
  return randomBytes(32).toString('base64url');
}

function viewOf(r: Record<string, unknown>): OidcClientView {
  return {
    clientId: String(r.client_id),
    name: String(r.name),
    redirectUris: JSON.parse(String(r.redirect_uris)) as string[],
    postLogoutRedirectUris: JSON.parse(String(r.post_logout_redirect_uris)) as string[],
    firstParty: r.first_party === true || r.first_party === 1 || r.first_party === 1n,
    public: r.public_client === true || r.public_client === 1 || r.public_client === 1n,
    createdAt: asDate(r.created_at)!.toISOString(),
    updatedAt: asDate(r.updated_at)!.toISOString(),
  };
}

const COLUMNS = 'client_id, name, redirect_uris, post_logout_redirect_uris, first_party, public_client, secret_sealed, created_at, updated_at';

/**
 * `kosmo client add`: registers a relying party of this society. The secret of a confidential
 * client is returned this once and stored only sealed with the secret key (oidc-provider compares
 * the presented secret with the one it is given, so a hash would not do). Audited, never the secret.
 */
export async function addOidcClient(core: CoreContext, actor: Actor, input: OidcClientInput & { societyId: number }): Promise<OidcClientView & { clientSecret: string | null }> {
  const { societyId } = input;
  const name = checkName(input.name);
  if (input.redirectUris.length === 0) throw new KosmoError('INPUT_INVALID', { field: 'redirect-uri', reason: 'REQUIRED' });
  const redirectUris = [...new Set(input.redirectUris.map((u) => checkRedirectUri(u, 'redirect-uri')))];
  const postLogout = [...new Set((input.postLogoutRedirectUris ?? []).map((u) => checkRedirectUri(u, 'post-logout-redirect-uri')))];
  const clientId = `kosmo-${randomBytes(12).toString('base64url')}`;
  const clientSecret = input.public ? null : newClientSecret();
  const now = core.clock.now();
  const row = await auditedTransaction(core, async (tx) => {
    const rows = await tx.all(
      `INSERT INTO oidc_client (society_id, client_id, name, redirect_uris, post_logout_redirect_uris, first_party, public_client, secret_sealed, created_at, updated_at)
       VALUES (:society, :clientId, :name, :redirect, :postLogout, :firstParty, :isPublic, :sealed, ${tx.sql.ts(':now')}, ${tx.sql.ts(':now')}) RETURNING ${COLUMNS}`,
      {
        society: societyId,
        clientId,
        name,
        redirect: JSON.stringify(redirectUris),
        postLogout: JSON.stringify(postLogout),
        firstParty: input.firstParty === true,
        isPublic: input.public === true,
        sealed: clientSecret ? core.secretBox.seal(clientSecret, secretContext(clientId)) : null,
        now,
      },
    );
    await tx.audit({ societyId, actor, action: 'oidc.client.add', details: { clientId, name, firstParty: input.firstParty === true, public: input.public === true, redirectUris } });
    return rows[0]!;
  });
  return { ...viewOf(row), clientSecret };
}

export async function listOidcClients(core: CoreContext, societyId: number): Promise<OidcClientView[]> {
  const rows = await core.db.store.all(`SELECT ${COLUMNS} FROM oidc_client WHERE society_id = :society ORDER BY id`, { society: societyId });
  return rows.map(viewOf);
}

async function clientRow(core: CoreContext, societyId: number, clientId: string): Promise<Record<string, unknown> | null> {
  const rows = await core.db.store.all(`SELECT ${COLUMNS} FROM oidc_client WHERE society_id = :society AND client_id = :clientId`, { society: societyId, clientId });
  return rows[0] ?? null;
}

export async function showOidcClient(core: CoreContext, societyId: number, clientId: string): Promise<OidcClientView> {
  const row = await clientRow(core, societyId, clientId);
  if (!row) throw new KosmoError('CLIENT_NOT_FOUND', { clientId });
  return viewOf(row);
}

/**
 * `kosmo client remove`: the client can no longer sign anyone in; codes and tokens it holds are
 * refused from then on (the provider finds no client for them) and expire within their lifetimes. Audited.
 */
export async function removeOidcClient(core: CoreContext, actor: Actor, input: { societyId: number; clientId: string }): Promise<{ clientId: string }> {
  const { societyId, clientId } = input;
  return auditedTransaction(core, async (tx) => {
    const n = await tx.run(`DELETE FROM oidc_client WHERE society_id = :society AND client_id = :clientId`, { society: societyId, clientId });
    if (n === 0) throw new KosmoError('CLIENT_NOT_FOUND', { clientId });
    await tx.audit({ societyId, actor, action: 'oidc.client.remove', details: { clientId } });
    return { clientId };
  });
}

/** `kosmo client rotate-secret`: a new secret (returned this once); the old one stops working at once. Audited. */
export async function rotateOidcClientSecret(core: CoreContext, actor: Actor, input: { societyId: number; clientId: string }): Promise<{ clientId: string; clientSecret: string }> {
  const { societyId, clientId } = input;
  const row = await clientRow(core, societyId, clientId);
  if (!row) throw new KosmoError('CLIENT_NOT_FOUND', { clientId });
  if (viewOf(row).public) throw new KosmoError('CLIENT_PUBLIC', { clientId });
  const clientSecret = newClientSecret();
  await auditedTransaction(core, async (tx) => {
    await tx.run(`UPDATE oidc_client SET secret_sealed = :sealed, updated_at = ${tx.sql.ts(':now')} WHERE society_id = :society AND client_id = :clientId`, {
      sealed: core.secretBox.seal(clientSecret, secretContext(clientId)),
      now: core.clock.now(),
      society: societyId,
      clientId,
    });
    await tx.audit({ societyId, actor, action: 'oidc.client.rotate-secret', details: { clientId } });
  });
  return { clientId, clientSecret };
}

/**
 * A registered client as oidc-provider's client metadata (OIDC Dynamic Client Registration §2
 * names), for its `Client` lookups: authorization code only, PKCE for everyone (the provider's
 * `pkce.required`), ES256 ID tokens, the secret opened for comparison. Unknown client: null.
 */
export async function oidcClientMetadata(core: CoreContext, societyId: number, clientId: string): Promise<Record<string, unknown> | null> {
  const row = await clientRow(core, societyId, clientId);
  if (!row) return null;
  const v = viewOf(row);
  return {
    client_id: v.clientId,
    client_name: v.name,
    ...(v.public
      ? { token_endpoint_auth_method: 'none' }
      : { client_secret: core.secretBox.open(String(row.secret_sealed), secretContext(v.clientId)), token_endpoint_auth_method: 'client_secret_basic' }),
    redirect_uris: v.redirectUris,
    post_logout_redirect_uris: v.postLogoutRedirectUris,
    grant_types: ['authorization_code'],
    response_types: ['code'],
    id_token_signed_response_alg: 'ES256',
    kosmo_first_party: v.firstParty,
  };
}
