import type { Provider as OidcProvider } from 'oidc-provider';
import {
  ACR_VALUES,
  OIDC_CLOCK_TOLERANCE_SECONDS,
  OIDC_TTL,
  ensureOidcKeys,
  oidcAccount,
  oidcKeyMaterial,
  oidcKeyVersion,
  oidcSubjectFor,
  resolvePortalUrl,
  type SocietyView,
} from '../../core/index.js';
import { renderPage } from '../page.js';
import type { PortalContext, PortalDeps } from '../types.js';
import { adapterFactory } from './adapter.js';
import { OIDC_PREFIX, interactionPath } from './paths.js';

/** How often a running provider checks whether staff rotated the keys (`kosmo keys rotate`). */
const KEY_CHECK_MS = 30_000;

/** The member's page of a provider error: never the library's English page or a stack trace. */
const OIDC_ERROR = 'サービスからのログインの要求を受け付けられませんでした。お手数ですが、ご利用のサービスの画面からもう一度お試しください。';

/** What loadExistingGrant reads of oidc-provider's context. */
interface GrantLookupContext {
  oidc: {
    result?: { consent?: { grantId?: string } };
    session: { accountId?: string; grantIdFor(clientId: string): string | undefined };
    client: { clientId: string; metadata(): Record<string, unknown> };
    provider: OidcProvider;
  };
}

interface Entry {
  provider: Promise<OidcProvider>;
  version: string;
  checkedAt: number;
}

const registries = new WeakMap<PortalDeps, Map<string, Entry>>();
const loggedOut = new WeakSet<object>();

/** The request's provider ended the provider session (RP-initiated logout confirmed): the portal session ends too. */
export function endedOidcSession(ctx: PortalContext): boolean {
  return loggedOut.has(ctx);
}

/**
 * The issuer of this request's society (OIDC Discovery §4.3: it must equal the URL the relying
 * party fetched the configuration from, without the well-known suffix): the portal's address by
 * the one portal-URL rule — `--public-url`, the society's `publicUrl`, or the request's own
 * origin for one of the society's host names or loopback. Anything else has no provider.
 */
export function issuerFor(ctx: PortalContext, deps: PortalDeps): string | null {
  const url = resolvePortalUrl(ctx.state.society, { configured: deps.options.publicUrl?.toString(), request: { origin: ctx.state.origin, hostname: ctx.hostname } });
  return url ? url.replace(/\/+$/, '') : null;
}

/** The `sub` of the member signed in to the portal in this request (login completed), else null. */
export async function portalSubject(ctx: PortalContext, deps: PortalDeps): Promise<string | null> {
  if (!ctx.state.member || ctx.state.step !== 'done') return null;
  return oidcSubjectFor(deps.core, ctx.state.society.id, ctx.state.member.id);
}

/**
 * The society's OpenID Provider for this request's issuer: built on first use (oidc-provider is
 * loaded then, never by the CLI) and cached per society and issuer; rebuilt when the key set
 * changed. Null when the request's host gives no issuer.
 */
export async function providerFor(ctx: PortalContext, deps: PortalDeps): Promise<OidcProvider | null> {
  const issuer = issuerFor(ctx, deps);
  if (!issuer) return null;
  const society = ctx.state.society;
  let cache = registries.get(deps);
  if (!cache) registries.set(deps, (cache = new Map()));
  const key = `${society.id} ${issuer}`;
  const now = Date.now();
  let entry = cache.get(key);
  if (entry && now - entry.checkedAt > KEY_CHECK_MS) {
    entry.checkedAt = now;
    if ((await oidcKeyVersion(deps.core, society.id)) !== entry.version) entry = undefined;
  }
  if (!entry) {
    await ensureOidcKeys(deps.core, [society.id]);
    const keys = await oidcKeyMaterial(deps.core, society.id);
    entry = { provider: buildProvider(deps, society, issuer, keys), version: keys.version, checkedAt: now };
    cache.set(key, entry);
    entry.provider.catch(() => cache.delete(key));
  }
  return entry.provider;
}

async function buildProvider(deps: PortalDeps, society: SocietyView, issuer: string, keys: Awaited<ReturnType<typeof oidcKeyMaterial>>): Promise<OidcProvider> {
  const core = deps.core;
  const { Provider, errors, interactionPolicy } = await import('oidc-provider');
  const { Check } = interactionPolicy;

  // The portal session is the member's sign-in: the provider's own session counts only while the
  // same member is signed in to the portal in this browser (after a portal logout, or another
  // member's login, the provider asks for a login again instead of answering silently).
  const policy = interactionPolicy.base();
  policy
    .get('login')!
    .checks.add(
      new Check('kosmo_portal_session', 'the portal session does not belong to the End-User', async (ctx: PortalContext & { oidc: { session: { accountId?: string } } }) =>
        (await portalSubject(ctx, deps)) === (ctx.oidc.session.accountId ?? null) ? Check.NO_NEED_TO_PROMPT : Check.REQUEST_PROMPT,
      ),
    );

  const provider = new Provider(issuer, {
    adapter: adapterFactory(core, society.id, errors.InvalidGrant),
    clients: [],
    async findAccount(_ctx: unknown, sub: string) {
      const account = await oidcAccount(core, society.id, sub);
      if (!account) return undefined;
      return {
        accountId: sub,
        // OIDC Core §5.4: `profile` → name, `email` → email, email_verified. Nothing else leaves (docs/sso.md, privacy).
        async claims() {
          return { sub, name: account.name, ...(account.email ? { email: account.email, email_verified: account.emailVerified } : {}) };
        },
      };
    },
    // OIDC Core §2: auth_time, acr and amr ride with `openid`, so every ID token says how and when the member signed in.
    claims: { openid: ['sub', 'auth_time', 'acr', 'amr'], profile: ['name'], email: ['email', 'email_verified'], sid: null },
    scopes: ['openid', 'profile', 'email'],
    acrValues: [...ACR_VALUES],
    // The ID token carries the granted claims itself (the services read the member's name from it).
    conformIdTokenClaims: false,
    responseTypes: ['code'],
    // RFC 9700 §2.1.1 / RFC 7636: PKCE for every client, confidential ones included (oidc-provider 9 knows S256 only).
    pkce: { required: () => true },
    // Refresh tokens are off (issue 14): no offline_access scope, and never issued.
    issueRefreshToken: async () => false,
    clientDefaults: { grant_types: ['authorization_code'], response_types: ['code'], id_token_signed_response_alg: 'ES256', token_endpoint_auth_method: 'client_secret_basic' },
    extraClientMetadata: { properties: ['kosmo_first_party'] },
    // A first-party client (the society's own service) needs no consent page: its grant is made here.
    async loadExistingGrant(ctx: GrantLookupContext) {
      const grantId = ctx.oidc.result?.consent?.grantId || ctx.oidc.session.grantIdFor(ctx.oidc.client.clientId);
      if (grantId) {
        const existing = await ctx.oidc.provider.Grant.find(grantId);
        if (existing) return existing;
      }
      const accountId = ctx.oidc.session.accountId;
      if (!accountId || ctx.oidc.client.metadata().kosmo_first_party !== true) return undefined;
      const grant = new ctx.oidc.provider.Grant({ clientId: ctx.oidc.client.clientId, accountId });
      grant.addOIDCScope('openid profile email');
      await grant.save();
      return grant;
    },
    interactions: { policy, url: (_ctx: unknown, interaction: { uid: string }) => interactionPath(interaction.uid) },
    cookies: {
      keys: keys.cookieKeys,
      names: { session: 'kosmo_op_session', interaction: 'kosmo_op_interaction', resume: 'kosmo_op_resume' },
    },
    jwks: { keys: keys.signing },
    ttl: {
      AuthorizationCode: OIDC_TTL.authorizationCodeSeconds,
      IdToken: OIDC_TTL.idTokenSeconds,
      AccessToken: OIDC_TTL.accessTokenSeconds,
      Interaction: OIDC_TTL.interactionSeconds,
      Session: OIDC_TTL.sessionSeconds,
      Grant: OIDC_TTL.grantSeconds,
    },
    clockTolerance: OIDC_CLOCK_TOLERANCE_SECONDS,
    routes: {
      authorization: `${OIDC_PREFIX}/auth`,
      token: `${OIDC_PREFIX}/token`,
      jwks: `${OIDC_PREFIX}/jwks`,
      userinfo: `${OIDC_PREFIX}/me`,
      end_session: `${OIDC_PREFIX}/session/end`,
      revocation: `${OIDC_PREFIX}/token/revocation`,
      introspection: `${OIDC_PREFIX}/token/introspection`,
      registration: `${OIDC_PREFIX}/reg`,
      pushed_authorization_request: `${OIDC_PREFIX}/request`,
      code_verification: `${OIDC_PREFIX}/device`,
      device_authorization: `${OIDC_PREFIX}/device/auth`,
      backchannel_authentication: `${OIDC_PREFIX}/backchannel`,
      challenge: `${OIDC_PREFIX}/challenge`,
      credential: `${OIDC_PREFIX}/credential`,
    },
    features: {
      devInteractions: { enabled: false },
      rpInitiatedLogout: {
        enabled: true,
        // The portal's own logout confirmation (SCREENS.md §2.4) around the provider's form.
        async logoutSource(ctx: PortalContext & { oidc: { client?: { clientName?: string } } }, form: string) {
          renderPage(ctx, deps, 'oidc-logout.njk', { pageTitle: 'ログアウト', form, clientName: ctx.oidc.client?.clientName ?? null }, 200);
        },
        async postLogoutSuccessSource(ctx: PortalContext) {
          renderPage(ctx, deps, 'oidc-logged-out.njk', { pageTitle: 'ログアウト' }, 200);
        },
      },
    },
    async renderError(ctx: PortalContext, out: { error?: string }, error: Error) {
      const status = ctx.status >= 400 ? ctx.status : 400;
      deps.log.info({
        msg: 'oidc request refused',
        requestId: ctx.state.requestId,
        error: out.error,
        description: String((error as { error_description?: string }).error_description ?? '').slice(0, 200),
      });
      renderPage(ctx, deps, 'error.njk', { pageTitle: 'エラー', message: OIDC_ERROR, status }, status);
    },
  });
  provider.proxy = deps.options.trustProxy !== false;
  provider.on('end_session.success', (ctx: object) => loggedOut.add(ctx));
  provider.on('server_error', (ctx: PortalContext, err: Error) =>
    deps.log.error({ msg: 'oidc server error', requestId: ctx.state?.requestId, error: err?.name, message: String(err?.message).slice(0, 300) }),
  );
  return provider;
}
