/**
 * One single sign-on flow across two real `kosmo serve` processes on one PostgreSQL database
 * (issue 14): Chromium authorizes on instance A (login, first login and consent there), the
 * relying party redeems the code and reads userinfo on instance B — as behind a load balancer.
 * A second code, redeemed at A and then at B, is refused the second time: single use holds
 * across processes (one conditional UPDATE in the shared database).
 */
import type { Browser } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import * as client from 'openid-client';
import { createRemoteJWKSet, jwtVerify } from 'jose';
import { testDatabases } from '../support/databases.js';
import { type kosmoIn, tempDataDir } from '../support/cli.js';
import { startServePair, type ServeProcess } from '../support/serve.js';
import { totpCodeAt } from '../../src/core/credentials/totp/index.js';
import { launchBrowser } from './support/browser.js';
import { startRelyingParty, type RelyingParty } from './support/relying-party.js';
import { freePort } from './support/loopback-server.js';
import { firstLoginSteps, submit } from './support/first-login.js';

const postgres = testDatabases.find((d) => d.name === 'postgresql');
const PASSWORD = 'Kosmo-Portal-2026!';

describe.skipIf(!postgres)('single sign-on across two kosmo serve processes sharing one PostgreSQL', () => {
  const dir = tempDataDir();
  let pair: Awaited<ReturnType<typeof startServePair>> | undefined;
  let kosmo: ReturnType<typeof kosmoIn>;
  let serves: ServeProcess[] = [];
  let browser: Browser;
  let rp: RelyingParty;
  let issuer: string;

  beforeAll(async () => {
    pair = await startServePair(postgres!, dir.dataDir);
    ({ kosmo, serves } = pair);
    // One issuer for both instances: the society's public URL names instance A (localhost: a WebAuthn-capable origin).
    issuer = `http://localhost:${serves[0]!.port}`;
    expect((await kosmo(['society', 'set', 'publicUrl', `${issuer}/`])).code).toBe(0);
    browser = await launchBrowser();
  }, 180_000);

  afterAll(async () => {
    await browser?.close();
    await rp?.close();
    await pair?.stop();
    dir.cleanup();
  });

  it('authorize on A, token and userinfo on B; a code redeemed on A is refused on B', async () => {
    const rpPort = await freePort();
    const added = (await kosmo(['client', 'add', '--name', '医療費のお知らせ', '--redirect-uri', `http://localhost:${rpPort}/cb`, '--json'])).json as { clientId: string; clientSecret: string };
    const m = (await kosmo(['member', 'issue', '--name', '山田太郎', '--kana', 'ヤマダタロウ', '--birth-date', '1979-08-22', '--card-number', '1', '--email', 'taro@example.jp', '--json'])).json as {
      userId: string;
      password: string;
    };

    // Wait until both instances see the public URL (each re-reads society settings within seconds).
    for (const s of serves) {
      await expect
        .poll(async () => ((await (await fetch(`${s.base}/.well-known/openid-configuration`, { headers: { host: `localhost:${serves[0]!.port}` } })).json()) as { issuer?: string }).issuer, {
          timeout: 15_000,
        })
        .toBe(issuer);
    }

    rp = await startRelyingParty(issuer, added.clientId, added.clientSecret, rpPort);
    const portB = String(serves[1]!.port);
    const toB = (url: string) => {
      const u = new URL(url);
      if (u.origin === issuer) u.port = portB;
      return u.href;
    };
    const viaB: client.CustomFetch = (url, options) => fetch(toB(url), options as RequestInit);

    const page = await (await browser.newContext()).newPage();
    await page.goto(`${rp.server.origin}/login`);
    expect(new URL(page.url()).origin).toBe(issuer);
    await firstLoginSteps(page, m, PASSWORD, { userId: 'taro.yamada', method: 'otp' });
    const key = (await page.textContent('#otp-key'))!.replace(/\s/g, '');
    await page.fill('#code', totpCodeAt(key, new Date()));
    await page.fill('#deviceName', 'iPhone');
    await submit(page);
    await page.waitForURL(/\/oidc\/interaction\//);
    await Promise.all([page.waitForURL(`${rp.server.origin}/cb?**`), page.click('text=許可する')]);

    // Token and userinfo on B.
    rp.config[client.customFetch] = viaB;
    const tokens = await rp.redeem(rp.callbacks.at(-1)!);
    const { payload } = await jwtVerify(tokens.id_token!, createRemoteJWKSet(new URL(toB(`${issuer}/oidc/jwks`))), { issuer, audience: added.clientId });
    expect(payload.amr).toEqual(['pwd', 'otp', 'mfa']);
    const info = await client.fetchUserInfo(rp.config, tokens.access_token, payload.sub!);
    expect(info.name).toBe('山田太郎');
    // B answered them (its request log), A never saw a token request.
    const logged = (s: ServeProcess) => s.out() + s.err();
    expect(await serves[1]!.logged(/"path":"\/oidc\/token","status":200/)).toMatch(/"path":"\/oidc\/token","status":200/);
    expect(await serves[1]!.logged(/"path":"\/oidc\/me","status":200/)).toMatch(/"path":"\/oidc\/me","status":200/);
    expect(logged(serves[0]!)).not.toMatch(/"path":"\/oidc\/token"/);
    expect(logged(serves[0]!)).toMatch(/"path":"\/oidc\/auth"/);

    // A second sign-in (the member is signed in: straight back); its code redeemed on A, then replayed on B.
    await page.goto(`${rp.server.origin}/login`);
    await page.waitForURL(`${rp.server.origin}/cb?**`);
    const second = rp.callbacks.at(-1)!;
    const checks = { verifier: rp.last!.verifier, state: rp.last!.state };
    rp.config[client.customFetch] = (url, options) => fetch(url, options as RequestInit);
    expect((await rp.redeem(second, checks)).id_token).toBeTruthy();
    rp.config[client.customFetch] = viaB;
    await expect(rp.redeem(second, checks)).rejects.toMatchObject({ error: 'invalid_grant' });
  });
});
