import { describe, it, expect, beforeEach, afterEach } from 'vitest';
import { testDatabases } from '../support/databases.js';
import { STAFF } from '../support/core.js';
import { startTestPortal, type TestPortal } from './support/portal.js';
import { csrfTokenOf, textOf, type Browser } from './support/browser.js';
import { login, pathOf } from './support/flows.js';
import { activeOtpMember, errorsOf, patchSessionState, toFactorSetup } from './support/second-factor.js';
import { Member, Passkey, TotpDevice, WebauthnChallenge } from '../../src/core/db/entities/index.js';
import { queryAudit } from '../../src/core/audit/query-audit.js';
import { removeDevices } from '../../src/core/credentials/remove-devices.js';

const FAILED = '生体認証に失敗しました。もう一度お試しください。';

/** A stored passkey's public data, as the registration ceremony would leave it in the session. */
function fakePasskey(n: number) {
  return { credentialId: Buffer.alloc(16, n).toString('base64url'), publicKey: 'pQECAyYgASFYIA', counter: 0, transports: ['internal'] };
}

describe.each(testDatabases)('passkeys over HTTP on $name', (database) => {
  let p: TestPortal;
  let b: Browser;
  beforeEach(async () => {
    p = await startTestPortal(database);
    b = p.browser();
  });
  afterEach(async () => p.stop());

  /** POSTs for the ceremony options the way assets/passkey.js does. */
  async function options(path: string): Promise<{ status: number; json: Record<string, any> | null; type: string }> {
    const res = await fetch(new URL(path, p.url), {
      method: 'POST',
      headers: { cookie: b.cookieHeader(), origin: p.url, 'sec-fetch-site': 'same-origin', 'content-type': 'application/x-www-form-urlencoded' },
      body: `_csrf=${encodeURIComponent(csrfTokenOf(b.lastPage!.body)!)}`,
      redirect: 'manual',
    });
    const type = res.headers.get('content-type') ?? '';
    return { status: res.status, type, json: type.startsWith('application/json') ? ((await res.json()) as Record<string, any>) : null };
  }

  it('shows セキュリティキーの登録 with 登録 to a member who chose 生体認証, with the library served by the portal', async () => {
    await p.setSetting('publicUrl', `http://localhost:${new URL(p.url).port}`);
    const issued = await p.issue();
    const { page } = await toFactorSetup(p, b, issued, { userId: 'yamada.taro', method: 'passkey' });
    expect(page.body).toContain('<h1 class="card__heading">セキュリティキーの登録</h1>');
    expect(page.body).toMatch(/<button class="button button--primary button--block" type="button" id="passkey-start">登録<\/button>/);
    expect(page.body).toMatch(/<script nonce="[^"]+" src="\/assets\/webauthn\/simplewebauthn-browser.js"><\/script>/);
    expect(page.body).toMatch(/<script nonce="[^"]+" src="\/assets\/passkey.js"><\/script>/);
    expect(page.body).toContain('href="/setup/factor?method=otp"');
    const lib = await fetch(new URL('/assets/webauthn/simplewebauthn-browser.js', p.url));
    expect(lib.headers.get('content-type')).toContain('javascript');
    expect(await lib.text()).toContain('SimpleWebAuthnBrowser');
    const client = await fetch(new URL('/assets/passkey.js', p.url));
    expect(await client.text()).toContain('startRegistration');
  });

  it('gives registration options for the configured public URL, keeps the challenge server-side and uses it once', async () => {
    await p.setSetting('publicUrl', `http://localhost:${new URL(p.url).port}`);
    const issued = await p.issue();
    await toFactorSetup(p, b, issued, { userId: 'yamada.taro', method: 'passkey' });
    const res = await options('/setup/factor/passkey/options');
    expect(res.status).toBe(200);
    const opts = res.json!.options;
    expect(opts.rp).toEqual({ id: 'localhost', name: '大和総研健保加入者ページ' });
    expect(opts.user.name).toBe('yamada.taro');
    expect(opts.authenticatorSelection.userVerification).toBe('required');
    const pending = await p.core.db.em().find(WebauthnChallenge, {});
    expect(pending).toHaveLength(1);
    expect(pending[0]).toMatchObject({ challenge: opts.challenge, kind: 'registration' });
    expect(pending[0]!.expiresAt.getTime() - p.clock.now().getTime()).toBe(120_000);
    // A made-up answer is refused; the challenge is gone afterwards, whatever the answer was.
    const page = await b.post('/setup/factor/passkey', { response: JSON.stringify({ id: 'x', rawId: 'x', type: 'public-key', response: {} }) });
    expect(page.status).toBe(401);
    expect(errorsOf(page.body)).toEqual([FAILED]);
    expect(await p.core.db.em().count(WebauthnChallenge, {})).toBe(0);
    expect(await p.core.db.em().count(Passkey, {})).toBe(0);
    expect(pathOf(await b.get('/setup/factor/passkey/label'))).toBe('/setup/factor/passkey');
  });

  it('labels a verified passkey (認証ラベルの登録, `パスキー` prefilled, unique per member) and finishes the first login', async () => {
    const issued = await p.issue();
    await toFactorSetup(p, b, issued, { userId: 'yamada.taro', method: 'passkey' });
    await patchSessionState(p, issued.memberId, (s) => ({ ...s, pendingPasskey: { passkey: fakePasskey(1), createdAt: p.clock.now().toISOString() } }));
    let page = await b.get('/setup/factor/passkey/label');
    expect(page.body).toContain('<h1 class="card__heading">認証ラベルの登録</h1>');
    expect(page.body).toMatch(/<input class="field__input" id="label" name="label" type="text" value="パスキー"/);
    expect(page.body).toMatch(/type="submit">OK<\/button>/);
    page = await b.post('/setup/factor/passkey/label', { label: '  ' });
    // The label's own name, not the OTP デバイス名 (issue 12).
    expect(errorsOf(page.body)).toEqual(['認証ラベルを入力してください。']);
    page = await b.post('/setup/factor/passkey/label', { label: '私のiPhone' });
    expect(pathOf(page)).toBe('/');
    expect((await p.core.db.em().find(Passkey, {})).map((x) => x.label)).toEqual(['私のiPhone']);
    expect((await p.core.db.em().findOneOrFail(Member, { id: issued.memberId })).status).toBe('active');
    // A second passkey through ログイン方法変更 cannot take the same label.
    await b.get('/login-methods/passkey/new');
    await patchSessionState(p, issued.memberId, (s) => ({ ...s, pendingPasskey: { passkey: fakePasskey(2), createdAt: p.clock.now().toISOString() } }));
    await b.get('/login-methods/passkey/new/label');
    page = await b.post('/login-methods/passkey/new/label', { label: '私のiPhone' });
    expect(page.status).toBe(409);
    expect(errorsOf(page.body)).toEqual(['この認証ラベルは既に登録されています。別の名前を入力してください。']);
    page = await b.post('/login-methods/passkey/new/label', { label: '仕事用PC' });
    expect(pathOf(page)).toBe('/login-methods');
    expect(textOf(page.body)).toContain('「仕事用PC」を登録しました。');
  });

  it('a verified passkey waits 10 minutes for its label, then must be registered again', async () => {
    const issued = await p.issue();
    await toFactorSetup(p, b, issued, { userId: 'yamada.taro', method: 'passkey' });
    await patchSessionState(p, issued.memberId, (s) => ({ ...s, pendingPasskey: { passkey: fakePasskey(1), createdAt: p.clock.now().toISOString() } }));
    p.clock.advance(10 * 60_000);
    expect(pathOf(await b.get('/setup/factor/passkey/label'))).toBe('/setup/factor/passkey');
  });

  it('refuses a challenge after its 2 minutes, and counts a failed passkey login towards the lockout', async () => {
    await p.setSetting('publicUrl', `http://localhost:${new URL(p.url).port}`);
    const m = await activeOtpMember(p);
    const em = p.core.db.em();
    em.create(Passkey, { member: em.getReference(Member, m.memberId), label: 'パスキー', ...fakePasskey(3), createdAt: p.clock.now(), lastUsedAt: null });
    await em.flush();
    await login(b, m.userId, m.password);
    await b.get('/login/second-factor?method=passkey');
    const res = await options('/login/second-factor/passkey/options');
    expect(res.json!.options).toMatchObject({ rpId: 'localhost', userVerification: 'required', allowCredentials: [{ id: fakePasskey(3).credentialId, type: 'public-key' }] });
    p.clock.advance(120_001);
    const answer = {
      id: fakePasskey(3).credentialId,
      rawId: fakePasskey(3).credentialId,
      type: 'public-key',
      response: { clientDataJSON: 'e30', authenticatorData: 'AAAA', signature: 'AAAA' },
      clientExtensionResults: {},
    };
    const page = await b.post('/login/second-factor/passkey', { response: JSON.stringify(answer) });
    expect(page.status).toBe(401);
    expect(errorsOf(page.body)).toEqual([FAILED]);
    expect(p.logs.some((l) => l.includes('"passkey assertion refused"') && l.includes('NO_EXPECTED_CHALLENGE'))).toBe(true);
    expect((await queryAudit(p.core, p.society.id, { action: 'login.passkey' })).map((e) => e.outcome)).toEqual(['failure']);
    // Nothing posted at all is refused the same way.
    expect((await b.post('/login/second-factor/passkey', {})).status).toBe(401);
  });

  it('without a public URL, passkeys work on localhost only: elsewhere the page says so and gives no options', async () => {
    const m = await activeOtpMember(p);
    const em = p.core.db.em();
    em.create(Passkey, { member: em.getReference(Member, m.memberId), label: 'パスキー', ...fakePasskey(4), createdAt: p.clock.now(), lastUsedAt: null });
    await em.flush();
    await login(b, m.userId, m.password);
    const page = await b.get('/login/second-factor?method=passkey');
    expect(errorsOf(page.body)[0]).toContain('この画面からは生体認証を利用できません。');
    expect(page.body).toMatch(/id="passkey-start" disabled>次へ/);
    const res = await options('/login/second-factor/passkey/options');
    expect(res.status).toBe(503);
  });

  it('lets a member whose devices staff removed choose the method again (none chosen → both offered)', async () => {
    const m = await activeOtpMember(p);
    await p.core.db.em().nativeUpdate(Member, { id: m.memberId }, { preferredMethod: null });
    await removeDevices(p.core, STAFF, { societyId: p.society.id, userId: m.userId, devices: { all: true } });
    expect(await p.core.db.em().count(TotpDevice, { member: m.memberId })).toBe(0);
    let page = await login(b, m.userId, m.password);
    expect(pathOf(page)).toBe('/login/birth-date');
    page = await b.post('/login/birth-date', { birthDate: '19790822' });
    expect(pathOf(page)).toBe('/setup/factor');
    expect(page.body).toContain('<h1 class="card__heading">認証方式の選択</h1>');
    expect(page.body).toContain('href="/setup/factor?method=otp">OTP認証</a>');
    expect(page.body).toContain('href="/setup/factor?method=passkey">生体認証</a>');
    page = await b.get('/setup/factor?method=otp');
    expect(page.body).toContain('ワンタイムパスワードの設定');
    // A society allowing one method only offers that one directly.
    await p.setSetting('allowedFactors', 'passkey');
    page = await b.get('/setup/factor');
    expect(page.body).toContain('セキュリティキーの登録');
    expect(page.body).not.toContain('?method=otp');
    expect(pathOf(await b.post('/setup/factor', { code: '123456', deviceName: 'x' }))).toBe('/setup/factor');
  });
});
