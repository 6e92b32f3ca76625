import type { InteractionDetails, Provider as OidcProvider } from 'oidc-provider';
import { acrFor, amrFor, auditOidcMemberEvent, type OidcMemberEvent } from '../../core/index.js';
import { renderPage, seeOther } from '../page.js';
import { startReauthentication } from '../middleware/require-recent-auth.js';
import type { PortalRouter } from '../router.js';
import type { PortalContext, PortalDeps } from '../types.js';
import { portalSubject, providerFor } from './provider.js';
import { INTERACTION_PREFIX, INTERACTION_UID, interactionPath } from './paths.js';
import { forgetInteraction, rememberInteraction } from './resume.js';
import { continuePage } from './continue-page.js';

const EXPIRED = 'ログインの有効期限が切れました。お手数ですが、ご利用のサービスの画面からもう一度お試しください。';

/** What each scope gives the service, in the consent page's words (OIDC Core §5.4). */
const SCOPE_TEXT: Record<string, string> = {
  openid: '加入者ページの利用者であることを示す識別子(ユーザIDではありません)',
  profile: '氏名',
  email: 'メールアドレス',
};

type Loaded = { provider: OidcProvider; details: InteractionDetails };

/** The interaction of this browser (the provider's cookie) with the uid of the URL, or the member's error page. */
async function load(ctx: PortalContext, deps: PortalDeps): Promise<Loaded | null> {
  const uid = ctx.params.uid ?? '';
  const provider = INTERACTION_UID.test(uid) ? await providerFor(ctx, deps) : null;
  let details: InteractionDetails | null = null;
  if (provider) {
    try {
      details = await provider.interactionDetails(ctx.req, ctx.res);
    } catch {
      details = null;
    }
  }
  if (!provider || !details || details.uid !== uid) {
    forgetInteraction(ctx);
    renderPage(ctx, deps, 'error.njk', { pageTitle: 'エラー', message: EXPIRED, status: 400 }, 400);
    return null;
  }
  return { provider, details };
}

/**
 * prompt=login and max_age (OIDC Core §3.1.2.1) ask for an authentication made for this request
 * or recent enough: older than that, the member proves the password and the second factor again.
 */
function needsFreshLogin(ctx: PortalContext, deps: PortalDeps, details: InteractionDetails): boolean {
  const reasons = details.prompt.reasons;
  const at = ctx.state.session?.row.authenticatedAt?.getTime() ?? 0;
  if (reasons.includes('login_prompt') && at < details.iat * 1000) return true;
  if (reasons.includes('max_age')) {
    const maxAge = Number(details.params.max_age);
    if (Number.isFinite(maxAge) && deps.core.clock.now().getTime() - at > maxAge * 1000) return true;
  }
  return false;
}

/** The member's single sign-on step in the audit log (the member of this portal session). */
async function audit(ctx: PortalContext, deps: PortalDeps, details: InteractionDetails, event: OidcMemberEvent): Promise<void> {
  const member = ctx.state.member;
  if (!member) return;
  await auditOidcMemberEvent(deps.core, ctx.state.society.id, member, event, { clientId: String(details.params.client_id ?? ''), ip: ctx.state.ip });
}

async function finish(ctx: PortalContext, deps: PortalDeps, { provider }: Loaded, result: Record<string, unknown>): Promise<void> {
  const returnTo = await provider.interactionResult(ctx.req, ctx.res, result, { mergeWithLastSubmission: true });
  continuePage(ctx, deps, returnTo);
}

/**
 * The provider's interactions, answered by the portal (issue 14):
 * - login: a member signed in to the portal (every login step done: a provisional member's whole
 *   first login, updated terms) is handed to the provider with `amr`/`acr` of how they signed in
 *   (RFC 8176) and `auth_time`; anyone else logs in first — the interaction waits in a cookie and
 *   the top page sends them back here;
 * - consent (clients not marked first-party): 「…が次の情報を求めています」 with `許可する` / `許可しない`.
 */
export function oidcInteractionRoutes(router: PortalRouter, deps: PortalDeps): void {
  router.get(`${INTERACTION_PREFIX}/:uid`, async (ctx) => {
    const loaded = await load(ctx, deps);
    if (!loaded) return;
    const { details } = loaded;
    const uid = details.uid;
    const sub = await portalSubject(ctx, deps);
    if (details.prompt.name === 'login') {
      if (!sub) {
        rememberInteraction(ctx, uid);
        return seeOther(ctx, '/login');
      }
      if (needsFreshLogin(ctx, deps, details)) return startReauthentication(ctx, interactionPath(uid));
      forgetInteraction(ctx);
      const factor = ctx.state.session?.state.progress?.secondFactor;
      await audit(ctx, deps, details, 'signin');
      const ts = Math.floor((ctx.state.session?.row.authenticatedAt?.getTime() ?? deps.core.clock.now().getTime()) / 1000);
      return finish(ctx, deps, loaded, { login: { accountId: sub, amr: amrFor(factor), acr: acrFor(factor), ts, remember: false } });
    }
    if (details.prompt.name === 'consent') {
      // The consent belongs to the member the provider signed in: the same member as the portal's.
      if (!sub || sub !== details.session?.accountId) {
        rememberInteraction(ctx, uid);
        return seeOther(ctx, '/login');
      }
      const client = await loaded.provider.Client.find(String(details.params.client_id));
      const scopes = String(details.params.scope ?? 'openid')
        .split(' ')
        .filter((s) => s in SCOPE_TEXT);
      return renderPage(ctx, deps, 'oidc-consent.njk', {
        pageTitle: '情報提供の確認',
        clientName: client?.clientName ?? String(details.params.client_id),
        items: scopes.map((s) => SCOPE_TEXT[s]),
        action: `${interactionPath(uid)}/consent`,
        abort: `${interactionPath(uid)}/abort`,
      });
    }
    renderPage(ctx, deps, 'error.njk', { pageTitle: 'エラー', message: EXPIRED, status: 400 }, 400);
  });

  router.post(`${INTERACTION_PREFIX}/:uid/consent`, async (ctx) => {
    const loaded = await load(ctx, deps);
    if (!loaded) return;
    const { details, provider } = loaded;
    const sub = await portalSubject(ctx, deps);
    if (details.prompt.name !== 'consent' || !sub || sub !== details.session?.accountId) return seeOther(ctx, interactionPath(details.uid));
    const grant = details.grantId
      ? ((await provider.Grant.find(details.grantId)) ?? new provider.Grant({ accountId: sub, clientId: String(details.params.client_id) }))
      : new provider.Grant({ accountId: sub, clientId: String(details.params.client_id) });
    const missing = details.prompt.details as { missingOIDCScope?: string[]; missingOIDCClaims?: string[]; missingResourceScopes?: Record<string, string[]> };
    if (missing.missingOIDCScope) grant.addOIDCScope(missing.missingOIDCScope.join(' '));
    if (missing.missingOIDCClaims) grant.addOIDCClaims(missing.missingOIDCClaims);
    for (const [indicator, scopes] of Object.entries(missing.missingResourceScopes ?? {})) grant.addResourceScope(indicator, scopes.join(' '));
    const grantId = await grant.save();
    await audit(ctx, deps, details, 'consent');
    deps.log.info({ msg: 'oidc consent', requestId: ctx.state.requestId, clientId: String(details.params.client_id).slice(0, 64) });
    await finish(ctx, deps, loaded, { consent: { grantId } });
  });

  router.post(`${INTERACTION_PREFIX}/:uid/abort`, async (ctx) => {
    const loaded = await load(ctx, deps);
    if (!loaded) return;
    forgetInteraction(ctx);
    await audit(ctx, deps, loaded.details, 'deny');
    await finish(ctx, deps, loaded, { error: 'access_denied', error_description: 'End-User denied the request' });
  });
}
