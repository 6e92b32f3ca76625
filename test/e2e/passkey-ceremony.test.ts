/**
 * Passkey ceremonies in a real browser: Debian Chromium driven by playwright-core, a DevTools
 * WebAuthn virtual authenticator, the @simplewebauthn/browser bundle served from node_modules,
 * and the server side done by src/core/credentials/passkey (DESIGN §5, SCREENS §2.5).
 *
 * The test server below plays the future portal's part: it keeps the issued challenge
 * server-side and takes it out before verifying (single use, DESIGN §4), and it stores the
 * passkey and its counter.
 */
import { readFile } from 'node:fs/promises';
import { fileURLToPath } from 'node:url';
import * as helpers from '@simplewebauthn/server/helpers';
import type { Browser, BrowserContext, Page } from 'playwright-core';
import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import {
  browserScriptPath,
  createAuthenticationOptions,
  createRegistrationOptions,
  findPasskeyForResponse,
  passkeyUserHandle,
  relyingPartyOrNull,
  verifyPasskeyAuthentication,
  verifyPasskeyRegistration,
  type RelyingParty,
  type StoredPasskey,
} from '../../src/core/credentials/passkey/index.js';
import { launchBrowser } from './support/browser.js';
import { readJson, sendJson, startLoopbackServer, type LoopbackServer } from './support/loopback-server.js';
import { addVirtualAuthenticator, type VirtualAuthenticator } from './support/virtual-authenticator.js';

const PAGE_SCRIPT = fileURLToPath(new URL('./fixtures/passkey-ceremony-page.js', import.meta.url));
const MEMBER = { userId: 'account-0001', userName: 'taro.yamada', userDisplayName: '山田 太郎' };

// ---- what the page returns (see fixtures/passkey-ceremony-page.js) -------------------------

interface VerifyReply {
  ok: boolean;
  reason?: string;
  newCounter?: number;
}
interface CeremonyOutcome {
  options: Record<string, any>;
  browserError?: string;
  response?: Record<string, any>;
  status?: number;
  result?: VerifyReply;
}
interface CeremonyFlags {
  downgradeUserVerification?: boolean;
  tamperSignature?: boolean;
}
interface CeremonyWindow {
  ceremony: {
    register(flags: CeremonyFlags): Promise<CeremonyOutcome>;
    authenticate(flags: CeremonyFlags): Promise<CeremonyOutcome>;
    post(path: string, body: unknown): Promise<{ status: number; body: VerifyReply }>;
  };
}

// ---- the test server: a stand-in for the portal routes ---------------------------------------

interface ServerState {
  passkeys: StoredPasskey[];
  /** Issued, not yet used challenges; `take` removes one (single use). */
  pending: Partial<Record<'registration' | 'authentication', string>>;
  /** The last verification the server ran, so a test can replay it at the core level. */
  lastAuthentication?: { response: unknown; expectedChallenge: string; passkeyBefore: StoredPasskey };
  lastRegistration?: { response: unknown; expectedChallenge: string };
}

let state: ServerState;
let rp: RelyingParty;
let server: LoopbackServer;
let browser: Browser;
let context: BrowserContext;
let page: Page;
let authenticator: VirtualAuthenticator;

function take(kind: 'registration' | 'authentication'): string | undefined {
  const challenge = state.pending[kind];
  delete state.pending[kind];
  return challenge;
}

async function startTestServer(): Promise<LoopbackServer> {
  const [bundle, pageScript] = await Promise.all([readFile(browserScriptPath()), readFile(PAGE_SCRIPT)]);
  return startLoopbackServer(async (req, res) => {
    const route = `${req.method} ${req.url}`;
    switch (route) {
      case 'GET /':
        res.writeHead(200, { 'content-type': 'text/html; charset=utf-8' });
        res.end('<!doctype html><meta charset="utf-8"><title>passkey ceremony</title>' + '<script src="/simplewebauthn-browser.js"></script><script src="/ceremony.js"></script>');
        return;
      case 'GET /simplewebauthn-browser.js':
      case 'GET /ceremony.js':
        res.writeHead(200, { 'content-type': 'text/javascript; charset=utf-8' });
        res.end(route === 'GET /ceremony.js' ? pageScript : bundle);
        return;
      case 'POST /registration/options': {
        const { options, challenge } = await createRegistrationOptions({ rp, ...MEMBER, existing: state.passkeys });
        state.pending.registration = challenge;
        return sendJson(res, 200, { options });
      }
      case 'POST /registration/verify': {
        const response = await readJson(req);
        const expectedChallenge = take('registration');
        if (expectedChallenge === undefined) return sendJson(res, 200, { ok: false, reason: 'NO_PENDING_CHALLENGE' });
        state.lastRegistration = { response, expectedChallenge };
        const result = await verifyPasskeyRegistration({ rp, response, expectedChallenge });
        if (result.ok) state.passkeys.push(result.passkey);
        return sendJson(res, 200, result);
      }
      case 'POST /authentication/options': {
        const { options, challenge } = await createAuthenticationOptions({ rp, allow: state.passkeys });
        state.pending.authentication = challenge;
        return sendJson(res, 200, { options });
      }
      case 'POST /authentication/verify': {
        const response = await readJson(req);
        const expectedChallenge = take('authentication');
        if (expectedChallenge === undefined) return sendJson(res, 200, { ok: false, reason: 'NO_PENDING_CHALLENGE' });
        const passkey = findPasskeyForResponse(response, state.passkeys);
        if (passkey === null) return sendJson(res, 200, { ok: false, reason: 'UNKNOWN_CREDENTIAL' });
        state.lastAuthentication = { response, expectedChallenge, passkeyBefore: { ...passkey } };
        const result = await verifyPasskeyAuthentication({ rp, response, expectedChallenge, passkey });
        if (result.ok) passkey.counter = result.newCounter;
        return sendJson(res, 200, result);
      }
      default:
        res.writeHead(404).end();
    }
  });
}

// ---- browser helpers ------------------------------------------------------------------------

const register = (flags: CeremonyFlags = {}) => page.evaluate((f) => (window as unknown as CeremonyWindow).ceremony.register(f), flags);
const authenticate = (flags: CeremonyFlags = {}) => page.evaluate((f) => (window as unknown as CeremonyWindow).ceremony.authenticate(f), flags);
const postFromPage = (path: string, body: unknown) => page.evaluate(([p, b]) => (window as unknown as CeremonyWindow).ceremony.post(p as string, b), [path, body] as const);

/** Registers one passkey and checks that it worked, for tests about authentication. */
async function registerPasskey(): Promise<StoredPasskey> {
  const outcome = await register();
  expect(outcome.browserError).toBeUndefined();
  expect(outcome.result).toMatchObject({ ok: true });
  expect(state.passkeys).toHaveLength(1);
  return state.passkeys[0];
}

/** authenticatorData flags byte (WebAuthn L3 §6.1): bit 0 UP, bit 2 UV. */
function authDataFlags(authenticatorData: string): number {
  return Buffer.from(authenticatorData, 'base64url')[32];
}

/** The authenticatorData inside an attestationObject (CBOR map with "fmt", "attStmt", "authData"). */
function decodeAttestationObject(attestationObject: string): { authData: Uint8Array } {
  const decoded = helpers.decodeAttestationObject(helpers.isoBase64URL.toBuffer(attestationObject));
  return { authData: decoded.get('authData') };
}

const b64ToB64url = (b64: string) => Buffer.from(b64, 'base64').toString('base64url');

// ---- lifecycle: one browser and one server for the file ------------------------------------

beforeAll(async () => {
  server = await startTestServer();
  rp = relyingPartyOrNull(server.origin, 'KOSMO e2e')!;
  browser = await launchBrowser();
  context = await browser.newContext();
});

afterAll(async () => {
  await browser?.close();
  await server?.close();
});

// ---- the tests --------------------------------------------------------------------------------

describe('passkey ceremonies in Chromium with a virtual authenticator', () => {
  // A fresh page, virtual authenticator and server state per test.
  beforeEach(async () => {
    state = { passkeys: [], pending: {} };
    page = await context.newPage();
    await page.goto(`${server.origin}/`);
    authenticator = await addVirtualAuthenticator(page);
  });

  afterEach(async () => {
    await page?.close();
  });

  it('asks the browser for a verified user, a stable user handle and ES256/RS256 only', async () => {
    const outcome = await register();
    const { options } = outcome;
    expect(options.rp).toEqual({ id: 'localhost', name: 'KOSMO e2e' });
    expect(options.authenticatorSelection).toMatchObject({ userVerification: 'required', residentKey: 'preferred' });
    expect(options.attestation).toBe('none');
    expect(options.pubKeyCredParams.map((p: { alg: number }) => p.alg)).toEqual([-7, -257]);
    // The user handle is derived from the account id — not the (changeable) login name.
    const handle = Buffer.from(passkeyUserHandle(MEMBER.userId)).toString('base64url');
    expect(options.user).toEqual({ id: handle, name: MEMBER.userName, displayName: MEMBER.userDisplayName });
    const [credential] = await authenticator.getCredentials();
    expect(b64ToB64url(credential.userHandle ?? '')).toBe(handle);

    // A second registration excludes the first credential, so the same authenticator is refused.
    const again = await register();
    expect(again.options.excludeCredentials).toEqual([{ id: state.passkeys[0].credentialId, transports: state.passkeys[0].transports, type: 'public-key' }]);
    expect(again.browserError).toMatch(/^InvalidStateError/);

    const auth = await authenticate({});
    expect(auth.options).toMatchObject({ rpId: 'localhost', userVerification: 'required' });
    expect(auth.options.allowCredentials).toEqual([{ id: state.passkeys[0].credentialId, transports: state.passkeys[0].transports, type: 'public-key' }]);
  });

  it('registers a passkey, signs in with it, and stores each new counter', async () => {
    const reg = await register();
    expect(reg.result).toEqual({ ok: true, passkey: expect.any(Object) });
    const [credential] = await authenticator.getCredentials();
    expect(state.passkeys).toEqual([
      {
        credentialId: b64ToB64url(credential.credentialId),
        publicKey: expect.stringMatching(/^[A-Za-z0-9_-]+$/),
        counter: credential.signCount,
        transports: ['internal'],
      },
    ]);
    const registeredCounter = state.passkeys[0].counter;

    const first = await authenticate();
    expect(first.browserError).toBeUndefined();
    expect(first.result).toEqual({ ok: true, newCounter: expect.any(Number) });
    const firstCounter = first.result!.newCounter!;
    expect(firstCounter).toBeGreaterThan(registeredCounter);
    expect(state.passkeys[0].counter).toBe(firstCounter);
    expect((await authenticator.getCredentials())[0].signCount).toBe(firstCounter);

    const second = await authenticate();
    expect(second.result).toEqual({ ok: true, newCounter: firstCounter + 1 });
    expect(state.passkeys[0].counter).toBe(firstCounter + 1);
  });

  it('refuses an assertion whose signature was altered in the page', async () => {
    const passkey = await registerPasskey();
    const counterBefore = passkey.counter;
    const outcome = await authenticate({ tamperSignature: true });
    expect(outcome.browserError).toBeUndefined();
    expect(outcome.result).toEqual({ ok: false, reason: 'SIGNATURE_INVALID' });
    expect(state.passkeys[0].counter).toBe(counterBefore);
  });

  it('refuses an assertion made without user verification', async () => {
    await registerPasskey();
    await authenticator.setUserVerified(false);
    // With 'required' Chromium itself gives up; a hostile or broken client downgrades instead.
    const honest = await authenticate();
    expect(honest.browserError).toMatch(/^NotAllowedError/);

    const outcome = await authenticate({ downgradeUserVerification: true });
    expect(outcome.browserError).toBeUndefined();
    const flags = authDataFlags(outcome.response!.response.authenticatorData);
    expect(flags & 0x01).toBe(0x01); // UP set: the refusal below is about UV only
    expect(flags & 0x04).toBe(0); // UV clear
    expect(outcome.result).toEqual({ ok: false, reason: 'USER_NOT_VERIFIED' });
  });

  it('refuses to register a passkey made without user verification', async () => {
    // Chromium makes a credential on a UV-capable platform authenticator only after verifying the
    // user, whatever the options say; an authenticator without UV and a downgraded request get
    // past the browser, so the server has to refuse.
    await authenticator.remove();
    await addVirtualAuthenticator(page, { hasUserVerification: false, isUserVerified: false });
    const honest = await register();
    expect(honest.browserError).toMatch(/^NotAllowedError/);

    const outcome = await register({ downgradeUserVerification: true });
    expect(outcome.browserError).toBeUndefined();
    const { authData } = decodeAttestationObject(outcome.response!.response.attestationObject);
    expect(authData[32] & 0x01).toBe(0x01); // UP set: the refusal below is about UV only
    expect(authData[32] & 0x04).toBe(0); // UV clear
    expect(outcome.result).toEqual({ ok: false, reason: 'USER_NOT_VERIFIED' });
    expect(state.passkeys).toEqual([]);
  });

  it('refuses a replayed assertion once its challenge was consumed', async () => {
    await registerPasskey();
    const first = await authenticate();
    expect(first.result).toMatchObject({ ok: true });

    // 1. Same assertion again: the challenge was taken out of the store, nothing is pending.
    const replay = await postFromPage('/authentication/verify', first.response);
    expect(replay.body).toEqual({ ok: false, reason: 'NO_PENDING_CHALLENGE' });

    // 2. An attacker starts a new ceremony and replays the old assertion into it.
    await postFromPage('/authentication/options', {});
    const intoNewCeremony = await postFromPage('/authentication/verify', first.response);
    expect(intoNewCeremony.body).toEqual({ ok: false, reason: 'CHALLENGE_MISMATCH' });

    // 3. At the core: a caller that lost the challenge (passes none) refuses; a caller that forgot
    //    to consume it is still saved by the stored counter, which the first login advanced.
    const stored = state.passkeys[0];
    expect(await verifyPasskeyAuthentication({ rp, response: first.response, expectedChallenge: '', passkey: stored })).toEqual({
      ok: false,
      reason: 'NO_EXPECTED_CHALLENGE',
    });
    const clientData = JSON.parse(Buffer.from(first.response!.response.clientDataJSON, 'base64url').toString('utf8'));
    expect(clientData.challenge).toBe(first.options.challenge);
    expect(await verifyPasskeyAuthentication({ rp, response: first.response, expectedChallenge: first.options.challenge, passkey: stored })).toEqual({ ok: false, reason: 'COUNTER_NOT_INCREASED' });
  });

  it('refuses a fresh assertion whose counter is not above the stored one (WebAuthn L3 §7.2 step 21)', async () => {
    const passkey = await registerPasskey();
    const [credential] = await authenticator.getCredentials();
    // As if a clone of this authenticator had already been used once more than this one.
    passkey.counter = credential.signCount + 1;
    const outcome = await authenticate();
    expect(outcome.browserError).toBeUndefined();
    expect(outcome.result).toEqual({ ok: false, reason: 'COUNTER_NOT_INCREASED' });

    // Control: the very same assertion passes against the counter it should have been checked with.
    const { response, expectedChallenge, passkeyBefore } = state.lastAuthentication!;
    expect(await verifyPasskeyAuthentication({ rp, response, expectedChallenge, passkey: { ...passkeyBefore, counter: credential.signCount } })).toEqual({
      ok: true,
      newCounter: credential.signCount + 1,
    });
  });

  it("refuses an assertion checked against another credential's record (WebAuthn L3 §7.2 steps 5–6)", async () => {
    await registerPasskey();
    const outcome = await authenticate();
    expect(outcome.result).toMatchObject({ ok: true });
    const { response, expectedChallenge, passkeyBefore } = state.lastAuthentication!;
    // Same key material under another credential id: only the id comparison can refuse this.
    const otherRecord = { ...passkeyBefore, credentialId: Buffer.alloc(16, 1).toString('base64url') };
    expect(await verifyPasskeyAuthentication({ rp, response, expectedChallenge, passkey: otherRecord })).toEqual({
      ok: false,
      reason: 'CREDENTIAL_MISMATCH',
    });
    expect(findPasskeyForResponse(response, [otherRecord])).toBeNull();
    expect(await verifyPasskeyAuthentication({ rp, response, expectedChallenge, passkey: passkeyBefore })).toMatchObject({ ok: true });
  });

  it('answers malformed responses with ok:false and never throws', async () => {
    // Real responses to mutate, and controls showing they verify when left alone.
    await registerPasskey();
    const reg = state.lastRegistration!;
    expect(await verifyPasskeyRegistration({ rp, ...reg })).toMatchObject({ ok: true });
    await authenticate();
    const auth = state.lastAuthentication!;
    expect(await verifyPasskeyAuthentication({ rp, ...auth, passkey: auth.passkeyBefore })).toMatchObject({ ok: true });

    const r = reg.response as Record<string, any>;
    const a = auth.response as Record<string, any>;
    const long = 'A'.repeat(10_000);
    const b64json = (value: unknown) => Buffer.from(JSON.stringify(value)).toString('base64url');
    const throwing = new Proxy(
      {},
      {
        get: () => {
          throw new Error('getter');
        },
        ownKeys: () => {
          throw new Error('keys');
        },
      },
    );
    const common = (x: Record<string, any>): unknown[] => [
      undefined,
      null,
      0,
      'x',
      long,
      [],
      [x],
      {},
      true,
      throwing,
      JSON.parse(`{"__proto__": ${JSON.stringify(x)}}`),
      { ...x, id: long, rawId: long },
      { ...x, id: 12345 },
      { ...x, rawId: x.rawId.slice(1) },
      { ...x, type: 'private-key' },
      { ...x, response: null },
      { ...x, response: long },
      { ...x, response: { ...x.response, clientDataJSON: long } },
      { ...x, response: { ...x.response, clientDataJSON: 12 } },
      { ...x, response: { ...x.response, clientDataJSON: 'bm90IGpzb24' } }, // "not json"
      { ...x, response: { ...x.response, clientDataJSON: b64json({ type: {}, challenge: [], origin: 5 }) } },
      { ...x, response: { ...x.response, clientDataJSON: b64json(null) } },
      { ...x, response: { ...x.response, clientDataJSON: 'a+b/c=' } },
    ];
    const badRegistrations = [
      ...common(r),
      { ...r, response: { ...r.response, attestationObject: long } },
      { ...r, response: { ...r.response, attestationObject: 'oA' } }, // CBOR empty map
      { ...r, response: { ...r.response, attestationObject: undefined } },
      { ...r, response: { ...r.response, transports: long } },
    ];
    const badAuthentications = [
      ...common(a),
      { ...a, response: { ...a.response, authenticatorData: 'AAAA' } },
      { ...a, response: { ...a.response, authenticatorData: long } },
      { ...a, response: { ...a.response, signature: '' } },
      { ...a, response: { ...a.response, signature: long } },
      { ...a, response: { ...a.response, signature: 'AAAA' } },
      { ...a, response: { ...a.response, userHandle: 5 } },
      { ...a, response: { ...a.response, userHandle: long } },
    ];

    for (const [i, response] of badRegistrations.entries()) {
      const result = await verifyPasskeyRegistration({ rp, response, expectedChallenge: reg.expectedChallenge });
      expect(result, `bad registration #${i}`).toEqual({ ok: false, reason: expect.any(String) });
    }
    for (const [i, response] of badAuthentications.entries()) {
      const result = await verifyPasskeyAuthentication({ rp, response, expectedChallenge: auth.expectedChallenge, passkey: auth.passkeyBefore });
      expect(result, `bad authentication #${i}`).toEqual({ ok: false, reason: expect.any(String) });
    }
    for (const response of [undefined, null, 'x', long, throwing, { id: long, rawId: long }, { id: a.id }, { id: a.id, rawId: a.id.slice(1) }]) {
      expect(findPasskeyForResponse(response, state.passkeys)).toBeNull();
    }
    expect(findPasskeyForResponse(a, state.passkeys)).toBe(state.passkeys[0]);
    expect(({} as Record<string, unknown>).id).toBeUndefined(); // no prototype pollution

    // A corrupt stored record refuses too.
    for (const passkey of [{ ...auth.passkeyBefore, counter: -1 }, { ...auth.passkeyBefore, counter: Number.NaN }, { ...auth.passkeyBefore, publicKey: 'AAAA' }, null]) {
      const result = await verifyPasskeyAuthentication({ rp, response: auth.response, expectedChallenge: auth.expectedChallenge, passkey: passkey as StoredPasskey });
      expect(result).toMatchObject({ ok: false });
    }

    // And end to end: garbage posted to the server's verify route is an ordinary refusal.
    await postFromPage('/registration/options', {});
    const posted = await postFromPage('/registration/verify', { id: long, rawId: long, type: 'public-key', response: {} });
    expect(posted).toEqual({ status: 200, body: { ok: false, reason: 'MALFORMED_RESPONSE' } });
  });
});

describe('relyingPartyOrNull', () => {
  it('takes the RP ID and origin from the public URL', () => {
    expect(relyingPartyOrNull('https://Portal.Example.jp:8443/kenpo/', 'KOSMO')).toEqual({
      rpId: 'portal.example.jp',
      rpName: 'KOSMO',
      origin: 'https://portal.example.jp:8443',
    });
    expect(relyingPartyOrNull('http://localhost:3000', 'KOSMO')?.origin).toBe('http://localhost:3000');
  });

  it('gives none for URLs no browser would run WebAuthn on', () => {
    for (const url of ['http://portal.example.jp', 'https://127.0.0.1', 'https://[::1]:8443', 'ftp://example.jp', 'not a url']) {
      expect(relyingPartyOrNull(url, 'KOSMO'), url).toBeNull();
    }
    expect(relyingPartyOrNull('https://portal.example.jp', ' ')).toBeNull();
  });
});

describe('browserScriptPath', () => {
  it('is the @simplewebauthn/browser UMD bundle inside node_modules', async () => {
    const path = browserScriptPath();
    expect(path).toMatch(/node_modules\/@simplewebauthn\/browser\/dist\/bundle\/index\.umd\.min\.js$/);
    const head = (await readFile(path, 'utf8')).slice(0, 1000);
    expect(head).toMatch(/^\/\* \[@simplewebauthn\/browser@14\./);
    expect(head).toContain('.SimpleWebAuthnBrowser={}'); // the global the page script uses
  });
});
