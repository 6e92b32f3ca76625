/**
 * Single sign-on end to end (issue 14): the real portal (startPortal on 127.0.0.1, public URL
 * http://localhost:<port>), Debian Chromium driven by playwright-core, and real relying parties
 * built with openid-client on loopback HTTP servers. ID tokens are verified with jose against the
 * provider's JWKS. The core runs on the system clock here: oidc-provider keeps real time, and a
 * one-time password is computed for the real moment.
 */
import type { Browser, BrowserContext, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createRemoteJWKSet, jwtVerify, decodeProtectedHeader } from 'jose';
import * as client from 'openid-client';
import { testDatabases } from '../support/databases.js';
import { createTestCore, STAFF, type TestCore } from '../support/core.js';
import { startPortal, type RunningPortal } from '../../src/portal/server.js';
import { issueMember } from '../../src/core/accounts/issue-member.js';
import { publishTerms } from '../../src/core/terms/publish-terms.js';
import { systemClock } from '../../src/core/clock.js';
import { totpCodeAt } from '../../src/core/credentials/totp/index.js';
import { addOidcClient } from '../../src/core/oidc/oidc-clients.js';
import { updateSocietySetting } from '../../src/core/society/update-society-setting.js';
import { queryAudit } from '../../src/core/audit/query-audit.js';
import { oidcSubjectFor } from '../../src/core/oidc/oidc-subject.js';
import { Member, Session } from '../../src/core/db/entities/index.js';
import { launchBrowser } from './support/browser.js';
import { addVirtualAuthenticator } from './support/virtual-authenticator.js';
import { startRelyingParty, type RelyingParty } from './support/relying-party.js';
import { freePort } from './support/loopback-server.js';
import { firstLoginSteps, submit, pathOf } from './support/first-login.js';

const PASSWORD = 'Kosmo-Portal-2026!';
const REFUSED = 'サービスからのログインの要求を受け付けられませんでした。';

let t: TestCore;
let portal: RunningPortal;
let origin: string;
let browser: Browser;
let thirdParty: { clientId: string; clientSecret: string };
let firstParty: { clientId: string };
let rp: RelyingParty;
let rp2: RelyingParty;
let otpMember: { userId: string; password: string; memberId: number };
let passkeyMember: { userId: string; password: string; memberId: number };

/** The ID token, verified with jose against the provider's published keys (not openid-client's own check). */
async function verifiedIdToken(idToken: string, clientId: string) {
  const jwks = createRemoteJWKSet(new URL(`${origin}/oidc/jwks`));
  const { payload } = await jwtVerify(idToken, jwks, { issuer: origin, audience: clientId });
  return payload;
}

beforeAll(async () => {
  t = await createTestCore(testDatabases[0]!);
  (t.core as { clock: typeof systemClock }).clock = systemClock;
  await publishTerms(t.core, STAFF, { societyId: t.society.id, title: '利用規約', body: '第1条(目的)' });
  // The CDP virtual authenticator answers passkey autofill (conditional mediation) at once, so with
  // passkeyFirst on every later /login would sign the passkey member in by itself; these flows go
  // through the ID + password path (autofill: test/e2e/passkey-autofill.test.ts).
  await updateSocietySetting(t.core, STAFF, { societyId: t.society.id, key: 'passkeyFirst', value: 'false' });
  const a = await issueMember(t.core, STAFF, { societyId: t.society.id, member: { name: '大和 花子', kana: 'ヤマト ハナコ', birthDate: '1979-08-22', email: 'hanako@example.jp', cardNumber: '101' } });
  otpMember = { userId: a.userId, password: a.password, memberId: a.member.id };
  const b = await issueMember(t.core, STAFF, { societyId: t.society.id, member: { name: '山田 太郎', kana: 'ヤマダ タロウ', birthDate: '1979-08-22', email: 'taro@example.jp', cardNumber: '102' } });
  passkeyMember = { userId: b.userId, password: b.password, memberId: b.member.id };
  const port = await freePort();
  origin = `http://localhost:${port}`;
  portal = await startPortal(t.core, { host: '127.0.0.1', port, publicUrl: origin, log: { info: () => {}, error: () => {} } });
  browser = await launchBrowser();
});

afterAll(async () => {
  await browser?.close();
  await rp?.close();
  await rp2?.close();
  await portal?.close();
  await t?.close();
});

describe('KOSMO as an OpenID Provider, with a real relying party and Chromium', () => {
  let context: BrowserContext;
  let page: Page;
  let firstCallback: URL;
  let firstChecks: { verifier: string; state: string };

  it('serves discovery at <publicUrl>/.well-known/openid-configuration: code flow, S256 only, ES256', async () => {
    const res = await fetch(`${origin}/.well-known/openid-configuration`);
    expect(res.status).toBe(200);
    const d = (await res.json()) as Record<string, unknown>;
    expect(d.issuer).toBe(origin);
    expect(d.response_types_supported).toEqual(['code']);
    expect(d.code_challenge_methods_supported).toEqual(['S256']);
    expect(d.id_token_signing_alg_values_supported).toEqual(['ES256']);
    expect(d.scopes_supported).toEqual(['openid', 'profile', 'email']);
    expect(d.end_session_endpoint).toBe(`${origin}/oidc/session/end`);
  });

  it('a provisional member does the whole first login (OTP) inside the flow, consents, and the service gets a verified ID token', async () => {
    // The client is registered for a relying party on a free port chosen first (exact redirect URIs).
    const rpPort = await freePort();
    const registered = await addOidcClient(t.core, STAFF, {
      societyId: t.society.id,
      name: '医療費のお知らせ',
      redirectUris: [`http://localhost:${rpPort}/cb`],
      postLogoutRedirectUris: [`http://localhost:${rpPort}/bye`],
    });
    thirdParty = { clientId: registered.clientId, clientSecret: registered.clientSecret! };
    rp = await startRelyingPartyOn(rpPort, thirdParty.clientId, thirdParty.clientSecret);

    context = await browser.newContext();
    page = await context.newPage();
    await page.goto(`${rp.server.origin}/login`);
    await firstLoginSteps(page, otpMember, PASSWORD, { userId: 'hanako.yamato', method: 'otp' });
    const key = (await page.textContent('#otp-key'))!.replace(/\s/g, '');
    await page.fill('#code', totpCodeAt(key, new Date()));
    await page.fill('#deviceName', 'iPhone');
    await submit(page);
    // Back from the login to the service's request: the consent page names the service and what it gets.
    await page.waitForURL(/\/oidc\/interaction\//);
    expect(await page.textContent('h1')).toBe('情報提供の確認');
    const consent = (await page.textContent('main'))!;
    expect(consent).toContain('「医療費のお知らせ」');
    expect(consent).toContain('氏名');
    expect(consent).toContain('メールアドレス');
    await Promise.all([page.waitForURL(`${rp.server.origin}/cb?**`), page.click('text=許可する')]);

    firstCallback = rp.callbacks.at(-1)!;
    firstChecks = { verifier: rp.last!.verifier, state: rp.last!.state };
    const tokens = await rp.redeem(firstCallback);
    const claims = tokens.claims()!;
    const verified = await verifiedIdToken(tokens.id_token!, thirdParty.clientId);
    expect(decodeProtectedHeader(tokens.id_token!).alg).toBe('ES256');
    expect(verified.sub).toBe(claims.sub);
    expect(verified.amr).toEqual(['pwd', 'otp', 'mfa']);
    expect(verified.acr).toBe('urn:kosmo:acr:mfa');
    expect(verified.name).toBe('大和 花子');
    expect(verified.email).toBe('hanako@example.jp');
    expect(verified.email_verified).toBe(false);
    expect(typeof verified.auth_time).toBe('number');
    // Refresh tokens are off: a service signs the member in again through KOSMO.
    expect(tokens.refresh_token).toBeUndefined();
    // `sub` is the opaque per-member identifier: not the user ID, not the database id.
    expect(verified.sub).toBe(await oidcSubjectFor(t.core, t.society.id, otpMember.memberId));
    expect(verified.sub).not.toContain('hanako');
    expect(verified.sub).not.toBe(String(otpMember.memberId));
    // Nothing from the insurance card, no birth date.
    expect(Object.keys(verified)).not.toEqual(expect.arrayContaining(['birthdate']));
    expect(JSON.stringify(verified)).not.toContain('1979');
    const member = await t.core.db.em().fork().findOneOrFail(Member, { id: otpMember.memberId });
    expect(member.status).toBe('active');
  });

  it('signs a member already signed in to the portal straight in (no login, no second consent); refuses a PKCE mismatch', async () => {
    await page.goto(`${rp.server.origin}/login`);
    await page.waitForURL(`${rp.server.origin}/cb?**`);
    const callback = rp.callbacks.at(-1)!;
    await expect(rp.redeem(callback, { verifier: client.randomPKCECodeVerifier() })).rejects.toMatchObject({ error: 'invalid_grant' });
  });

  it('refuses a state mix-up (a callback answering another request) at the relying party', async () => {
    await page.goto(`${rp.server.origin}/login`);
    await page.waitForURL(`${rp.server.origin}/cb?**`);
    const callback = rp.callbacks.at(-1)!;
    await expect(rp.redeem(callback, { state: client.randomState() })).rejects.toMatchObject({ cause: { message: expect.stringMatching(/state/) } });
    // The code itself was never sent to the token endpoint: redeemed with the right state it still works once.
    expect((await rp.redeem(callback)).id_token).toBeTruthy();
  });

  it('a service-menu entry naming the client starts the sign-in at that service (iss added, OIDC Core §4)', async () => {
    await updateSocietySetting(t.core, STAFF, {
      societyId: t.society.id,
      key: 'serviceMenu',
      value: JSON.stringify([
        { title: '医療費のお知らせ', url: `${rp.server.origin}/login`, clientId: thirdParty.clientId },
        { title: '健康情報', url: 'https://example.jp/health' },
      ]),
    });
    await page.goto(`${origin}/`);
    const hrefs = await page.$$eval('.service-card__link', (els) => els.map((e) => e.getAttribute('href')));
    expect(hrefs).toEqual([`${rp.server.origin}/login?iss=${encodeURIComponent(origin)}`, 'https://example.jp/health']);
    await page.goto(hrefs[0]!);
    await page.waitForURL(`${rp.server.origin}/cb?**`);
    expect(rp.initiated.at(-1)).toBe(origin);
    expect((await rp.redeem(rp.callbacks.at(-1)!)).claims()!.name).toBe('大和 花子');
  });

  it('refuses a reused authorization code, and revokes the grant it came from (RFC 6749 §4.1.2)', async () => {
    await expect(rp.redeem(firstCallback, firstChecks)).rejects.toMatchObject({ error: 'invalid_grant' });
    // The grant is gone: the service's next request asks the member's consent again.
    await page.goto(`${rp.server.origin}/login`);
    expect(await page.textContent('h1')).toBe('情報提供の確認');
    await Promise.all([page.waitForURL(`${rp.server.origin}/cb?**`), page.click('text=許可する')]);
    expect((await rp.redeem(rp.callbacks.at(-1)!)).id_token).toBeTruthy();
  });

  it('許可しない on the consent page: the service gets access_denied and no code', async () => {
    const rpPort = await freePort();
    const other = await addOidcClient(t.core, STAFF, { societyId: t.society.id, name: '外部の健康アプリ', redirectUris: [`http://localhost:${rpPort}/cb`] });
    const rp3 = await startRelyingParty(origin, other.clientId, other.clientSecret, rpPort);
    try {
      await page.goto(`${rp3.server.origin}/login`);
      expect(await page.textContent('h1')).toBe('情報提供の確認');
      expect(await page.textContent('main')).toContain('「外部の健康アプリ」');
      await Promise.all([page.waitForURL(`${rp3.server.origin}/cb?**`), page.click('text=許可しない')]);
      const cb = rp3.callbacks.at(-1)!;
      expect(cb.searchParams.get('error')).toBe('access_denied');
      expect(cb.searchParams.get('code')).toBeNull();
      // Audited as the member's: sign-in handed over, consents, the refusal — never a code or token.
      const events = await queryAudit(t.core, t.society.id, { memberId: otpMember.memberId });
      const actions = events.map((e) => e.action);
      expect(actions).toEqual(expect.arrayContaining(['oidc.signin', 'oidc.consent', 'oidc.deny']));
      expect(events.find((e) => e.action === 'oidc.deny')!.details).toEqual({ clientId: other.clientId });
    } finally {
      await rp3.close();
    }
  });

  it('refuses a redirect_uri that is not registered and an unknown client: the portal error page, nothing sent anywhere', async () => {
    const before = rp.callbacks.length;
    const good = await rp.authorizationUrl();
    const wrongRedirect = new URL(good);
    wrongRedirect.searchParams.set('redirect_uri', `${rp.server.origin}/evil`);
    let res = await page.goto(wrongRedirect.href);
    expect(res!.status()).toBe(400);
    expect(await page.textContent('main')).toContain(REFUSED);
    expect(new URL(page.url()).origin).toBe(origin);

    const unknown = new URL(good);
    unknown.searchParams.set('client_id', 'kosmo-unknown-client');
    res = await page.goto(unknown.href);
    expect(res!.status()).toBe(400);
    expect(await page.textContent('main')).toContain(REFUSED);
    expect(rp.callbacks.length).toBe(before);

    // PKCE is required: without a code_challenge the service gets an error, never a code (RFC 9700 §2.1.1).
    const noPkce = new URL(good);
    noPkce.searchParams.delete('code_challenge');
    noPkce.searchParams.delete('code_challenge_method');
    await page.goto(noPkce.href);
    await page.waitForURL(`${rp.server.origin}/cb?**`);
    const cb = rp.callbacks.at(-1)!;
    expect(cb.searchParams.get('error')).toBe('invalid_request');
    expect(cb.searchParams.get('code')).toBeNull();
  });

  it('after a logout at the portal the provider session alone signs no one in: the service meets the login page', async () => {
    await page.goto(`${origin}/logout`);
    await submit(page);
    expect(await page.textContent('.account')).toContain('ログイン');
    const before = rp.callbacks.length;
    await page.goto(`${rp.server.origin}/login`);
    expect(pathOf(page)).toBe('/login');
    expect(rp.callbacks.length).toBe(before);
  });

  it('a passkey member (first login inside a first-party service flow): no consent page, amr hwk/user', async () => {
    const rpPort = await freePort();
    const registered = await addOidcClient(t.core, STAFF, {
      societyId: t.society.id,
      name: '健診予約',
      redirectUris: [`http://localhost:${rpPort}/cb`],
      postLogoutRedirectUris: [`http://localhost:${rpPort}/bye`],
      firstParty: true,
      public: true,
    });
    firstParty = { clientId: registered.clientId };
    rp2 = await startRelyingPartyOn(rpPort, firstParty.clientId, null);

    const ctx2 = await browser.newContext();
    const p2 = await ctx2.newPage();
    await addVirtualAuthenticator(p2);
    await p2.goto(`${rp2.server.origin}/login`);
    await firstLoginSteps(p2, passkeyMember, PASSWORD, { userId: 'taro.yamada', method: 'passkey' });
    await Promise.all([p2.waitForNavigation(), p2.click('#passkey-start')]);
    expect(pathOf(p2)).toBe('/setup/factor/passkey/label');
    await p2.fill('#label', '私のiPhone');
    await Promise.all([p2.waitForURL(`${rp2.server.origin}/cb?**`), p2.click('button[type=submit]')]);
    const tokens = await rp2.redeem(rp2.callbacks.at(-1)!);
    const first = await verifiedIdToken(tokens.id_token!, firstParty.clientId);
    expect(first.amr).toEqual(['pwd', 'hwk', 'user', 'mfa']);
    expect(first.acr).toBe('urn:kosmo:acr:phr');
    expect(first.name).toBe('山田 太郎');

    // prompt=login: the member proves the password and the passkey again before the service gets a new token.
    await new Promise((r) => setTimeout(r, 1100));
    await p2.goto((await rp2.authorizationUrl({ prompt: 'login' })).href);
    expect(pathOf(p2)).toBe('/reauth');
    await p2.fill('#password', PASSWORD);
    await submit(p2);
    expect(pathOf(p2)).toBe('/reauth/second-factor');
    await Promise.all([p2.waitForURL(`${rp2.server.origin}/cb?**`), p2.click('#passkey-start')]);
    const again = await verifiedIdToken((await rp2.redeem(rp2.callbacks.at(-1)!)).id_token!, firstParty.clientId);
    expect(again.sub).toBe(first.sub);
    expect(again.amr).toEqual(['pwd', 'hwk', 'user', 'mfa']);
    expect(again.auth_time as number).toBeGreaterThan(first.auth_time as number);

    // max_age older than the last authentication: the same re-authentication (OIDC Core §3.1.2.1).
    await new Promise((r) => setTimeout(r, 2100));
    await p2.goto((await rp2.authorizationUrl({ max_age: '1' })).href);
    expect(pathOf(p2)).toBe('/reauth');
    await p2.fill('#password', PASSWORD);
    await submit(p2);
    await Promise.all([p2.waitForURL(`${rp2.server.origin}/cb?**`), p2.click('#passkey-start')]);
    const fresh = await verifiedIdToken((await rp2.redeem(rp2.callbacks.at(-1)!)).id_token!, firstParty.clientId);
    expect(fresh.auth_time as number).toBeGreaterThan(again.auth_time as number);

    // RP-initiated logout: the portal's confirmation, then the portal session is gone too.
    const end = client.buildEndSessionUrl(rp2.config, { id_token_hint: (await rp2.redeem(await signInAgain(p2, rp2))).id_token!, post_logout_redirect_uri: rp2.postLogoutUri, state: 'bye-1' });
    await p2.goto(end.href);
    expect(await p2.textContent('main')).toContain('ログアウトしてもよろしいですか?');
    await Promise.all([p2.waitForURL(`${rp2.server.origin}/bye?**`), p2.click('button[name=logout]')]);
    expect(rp2.loggedOut.at(-1)!.searchParams.get('state')).toBe('bye-1');
    const sessions = await t.core.db.em().fork().count(Session, { member: passkeyMember.memberId });
    expect(sessions).toBe(0);
    await p2.goto(`${origin}/`);
    expect(await p2.textContent('.account')).toContain('ログイン');
    // And no silent sign-in afterwards: the service's next request meets the login page.
    await p2.goto(`${rp2.server.origin}/login`);
    expect(pathOf(p2)).toBe('/login');

    // Updated terms are accepted inside the sign-in, before the service gets its code (§2.12).
    await publishTerms(t.core, STAFF, { societyId: t.society.id, title: '利用規約', body: '第1条(目的)\n第2条(改定)' });
    await p2.fill('#userId', 'taro.yamada');
    await p2.fill('#password', PASSWORD);
    await submit(p2);
    expect(pathOf(p2)).toBe('/login/second-factor');
    await Promise.all([p2.waitForNavigation(), p2.click('#passkey-start')]);
    expect(pathOf(p2)).toBe('/login/terms');
    await Promise.all([p2.waitForURL(`${rp2.server.origin}/cb?**`), p2.click('button[type=submit]')]);
    expect((await rp2.redeem(rp2.callbacks.at(-1)!)).claims()!.sub).toBe(first.sub);
    await ctx2.close();
  });
});

/** A signed-in member's quick sign-in at `party` (no page in between): the callback URL. */
async function signInAgain(page: Page, party: RelyingParty): Promise<URL> {
  await page.goto(`${party.server.origin}/login`);
  await page.waitForURL(`${party.server.origin}/cb?**`);
  return party.callbacks.at(-1)!;
}

/** startRelyingParty on a port chosen before the client was registered for it. */
async function startRelyingPartyOn(port: number, clientId: string, secret: string | null): Promise<RelyingParty> {
  return startRelyingParty(origin, clientId, secret, port);
}
