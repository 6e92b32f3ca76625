import { describe, it, expect, beforeEach, afterEach } from 'vitest';
import { testDatabases } from '../support/databases.js';
import { STAFF } from '../support/core.js';
import { startTestPortal, type TestPortal } from './support/portal.js';
import { textOf, type Browser } from './support/browser.js';
import { login, pathOf } from './support/flows.js';
import { activeOtpMember, codeAt, devicesOf, errorsOf, firstLoginWithOtp, keyOf, loginWithOtp, patchSessionState, toFactorSetup } from './support/second-factor.js';
import { showMember } from '../../src/core/accounts/member-detail.js';
import { unlockMember } from '../../src/core/accounts/unlock-member.js';
import { Member, TotpDevice } from '../../src/core/db/entities/index.js';
import { beginTotpSetup } from '../../src/core/factors/begin-totp-setup.js';
import { confirmTotpSetup } from '../../src/core/factors/confirm-totp-setup.js';
import { totpSealContext } from '../../src/core/factors/totp-seal-context.js';
import { totpCodeAt } from '../../src/core/credentials/totp/index.js';
import { queryAudit } from '../../src/core/audit/query-audit.js';
import { execFileSync } from 'node:child_process';

const INVALID = '無効なユーザIDまたはパスワードです。';
const OTP_WRONG = 'ワンタイムパスワードが正しくありません';
const SETUP_WRONG = '認証コードが異なります';

describe.each(testDatabases)('second factor (OTP) in the login on $name', (database) => {
  let p: TestPortal;
  let b: Browser;
  beforeEach(async () => {
    p = await startTestPortal(database);
    b = p.browser();
  });
  afterEach(async () => p.stop());

  /** A second device for an active member, added through the core (the portal path is in login-methods tests). */
  async function addDevice(memberId: number, name: string): Promise<string> {
    const setup = await beginTotpSetup(p.core, { societyId: p.society.id, memberId, ip: null });
    const secret = p.core.secretBox.open(setup.secretEnc, totpSealContext(p.society.id, memberId));
    await confirmTotpSetup(p.core, { societyId: p.society.id, memberId, ip: null }, { secretEnc: setup.secretEnc, code: totpCodeAt(secret, p.clock.now()), deviceName: name });
    return secret;
  }

  it('sets the authenticator app up during the first login with the page of §2.6 and reaches the top page', async () => {
    const issued = await p.issue();
    const own = await toFactorSetup(p, b, issued, { userId: 'yamada.taro' });
    const page = own.page;
    const text = textOf(page.body);
    expect(page.status).toBe(200);
    expect(page.body).toContain('<h1 class="card__heading">ワンタイムパスワードの設定</h1>');
    expect(text).toContain('アカウントを有効にするにはワンタイムパスワードのセットアップが必要です。');
    expect(text).toContain('次のいずれかのアプリケーションをモバイルにインストールします。');
    for (const app of ['FreeOTP', 'Google Authenticator', 'Microsoft Authenticator']) expect(page.body).toContain(`<li>${app}</li>`);
    expect(text).toContain('アプリケーションを開き、バーコードをスキャンします。');
    expect(text).toContain('アプリケーションから提供されたワンタイムパスワードを入力し、送信をクリックしてセットアップを終了します。');
    expect(page.body).toMatch(/<ol class="otp-steps">/);
    // The QR code is an SVG made by the portal itself (data: image, no outside service).
    expect(page.body).toMatch(/<img class="otp-qr" src="data:image\/svg\+xml;base64,[A-Za-z0-9+/=]+"/);
    // スキャンできませんか? reveals the key without JavaScript (<details>), grouped for reading.
    expect(page.body).toMatch(/<details class="otp-manual">\s*<summary>スキャンできませんか\?<\/summary>\s*<p>アプリケーションを開き、キーを入力します<\/p>/);
    expect(keyOf(page.body)).toMatch(/^[A-Z2-7]{4}( [A-Z2-7]{4}){7}$/);
    expect(page.body).toMatch(/<label class="field__label" for="code">ワンタイムパスワード<span class="required"/);
    expect(page.body).toMatch(/<label class="field__label" for="deviceName">デバイス名<span class="required"/);
    expect(text).toContain('OTPデバイスの管理に役立つデバイス名を指定します。');
    expect(page.body).toMatch(/<input id="logoutSessions" name="logoutSessions" type="checkbox" value="1" checked>\s*<label for="logoutSessions">全てのデバイスからサインアウトする<\/label>/);
    expect(page.body).toMatch(/<button class="button button--primary button--block" type="submit">実行<\/button>/);
    // The member chose OTP: the other allowed method is offered as a switch only.
    expect(page.body).toContain('href="/setup/factor?method=passkey"');

    // A reload keeps the same seed (the member may have scanned it already).
    const key = keyOf(page.body);
    expect(keyOf((await b.get('/setup/factor')).body)).toBe(key);
    // Wrong code: the spec's message, the same QR/key, the device name kept; nothing stored.
    const wrong = await b.post('/setup/factor', { code: '000000', deviceName: '私のiPhone', logoutSessions: '1' });
    expect(wrong.status).toBe(400);
    expect(errorsOf(wrong.body)).toEqual([SETUP_WRONG]);
    expect(keyOf(wrong.body)).toBe(key);
    expect(wrong.body).toContain('value="私のiPhone"');
    // Both fields are required.
    const noName = await b.post('/setup/factor', { code: codeAt(p, key), deviceName: ' ' });
    expect(errorsOf(noName.body)).toEqual(['デバイス名を入力してください。']);
    expect(await p.core.db.em().count(TotpDevice, {})).toBe(0);
    // The key typed in lower case by the app works just the same.
    const done = await b.post('/setup/factor', { code: codeAt(p, key.toLowerCase()), deviceName: '私のiPhone', logoutSessions: '1' });
    expect(pathOf(done)).toBe('/');
    expect(done.body).toContain('サービスメニュー');
    const d = await showMember(p.core, p.society.id, 'yamada.taro');
    expect(d).toMatchObject({ status: 'active', onboardingStep: null });
    const devices = await p.core.db.em().find(TotpDevice, {});
    expect(devices.map((x) => x.name)).toEqual(['私のiPhone']);
    expect(devices[0]!.secretEnc).not.toContain(key.replace(/ /g, ''));
    // The seed is gone from the session once confirmed.
    expect(pathOf(await b.get('/setup/factor'))).toBe('/');
  });

  it('accepts the codes of an independent implementation (oathtool) for the key shown, typed in lower case', async () => {
    const oathtool = (key: string) => execFileSync('oathtool', ['--totp', '-b', key, '--now', `@${Math.floor(p.clock.now().getTime() / 1000)}`], { encoding: 'utf8' }).trim();
    const issued = await p.issue();
    const own = await toFactorSetup(p, b, issued, { userId: 'yamada.taro' });
    // What a member types into the app: the grouped key, lower case, spaces removed.
    const typed = keyOf(own.page.body).toLowerCase().replace(/ /g, '');
    expect(pathOf(await b.post('/setup/factor', { code: oathtool(typed), deviceName: 'Android' }))).toBe('/');
    p.clock.advanceSeconds(30);
    const b2 = p.browser();
    await login(b2, own.userId, own.password);
    expect(pathOf(await b2.post('/login/second-factor', { code: oathtool(typed) }))).toBe('/');
  });

  it('never lets the member past /setup/factor before a factor is set up', async () => {
    const issued = await p.issue();
    await toFactorSetup(p, b, issued, { userId: 'yamada.taro' });
    for (const path of ['/', '/profile', '/login-methods', '/login/second-factor', '/reauth']) expect(pathOf(await b.get(path)), path).toBe('/setup/factor');
    expect((await showMember(p.core, p.society.id, 'yamada.taro')).status).toBe('provisional');
  });

  it('refuses the set-up code at the next login (its time step is used) and accepts the next one', async () => {
    const issued = await p.issue();
    const own = await firstLoginWithOtp(p, b, issued);
    const b2 = p.browser();
    await login(b2, own.userId, own.password);
    const replay = await b2.post('/login/second-factor', { code: codeAt(p, own.secret) });
    expect(replay.status).toBe(401);
    expect(errorsOf(replay.body)).toEqual([OTP_WRONG]);
    p.clock.advanceSeconds(30);
    expect(pathOf(await b2.post('/login/second-factor', { code: codeAt(p, own.secret) }))).toBe('/');
  });

  it('logs in with one device: ワンタイムパスワードの入力 without a device choice; a code is never accepted twice', async () => {
    const m = await activeOtpMember(p);
    const page = await login(b, m.userId, m.password);
    expect(pathOf(page)).toBe('/login/second-factor');
    expect(page.body).toContain('<h1 class="card__heading">ワンタイムパスワードの入力</h1>');
    expect(page.body).toMatch(/<label class="field__label" for="code">ワンタイムパスワード<\/label>/);
    expect(page.body).toMatch(/<button class="button button--primary button--block" type="submit">トップページへ<\/button>/);
    expect(devicesOf(page.body)).toEqual([]);
    expect(page.body).not.toContain('name="deviceId"');
    const code = codeAt(p, m.secret);
    expect(pathOf(await b.post('/login/second-factor', { code }))).toBe('/');
    // The same code in another login, still inside its 30 seconds: refused.
    const b2 = p.browser();
    await login(b2, m.userId, m.password);
    const again = await b2.post('/login/second-factor', { code });
    expect(again.status).toBe(401);
    expect(errorsOf(again.body)).toEqual([OTP_WRONG]);
    expect(pathOf(await b2.get('/'))).toBe('/login/second-factor');
  });

  it('accepts one step of clock drift either way, and not two', async () => {
    const m = await activeOtpMember(p);
    p.clock.advanceSeconds(300);
    await login(b, m.userId, m.password);
    for (const offset of [-60, 60]) {
      const page = await b.post('/login/second-factor', { code: codeAt(p, m.secret, offset) });
      expect(page.status, `offset ${offset}`).toBe(401);
      expect(errorsOf(page.body)).toEqual([OTP_WRONG]);
    }
    expect(pathOf(await b.post('/login/second-factor', { code: codeAt(p, m.secret, -30) }))).toBe('/');
    p.clock.advanceSeconds(120);
    const b2 = p.browser();
    await login(b2, m.userId, m.password);
    expect(pathOf(await b2.post('/login/second-factor', { code: codeAt(p, m.secret, 30) }))).toBe('/');
  });

  it('refuses wrong and malformed codes with the spec message, and accepts full-width digits', async () => {
    const m = await activeOtpMember(p);
    await login(b, m.userId, m.password);
    for (const code of ['12345', '1234567', 'abcdef', '000000']) {
      // four: the fifth would start the back-off
      const page = await b.post('/login/second-factor', { code });
      expect(page.status, code).toBe(401);
      expect(errorsOf(page.body), code).toEqual([OTP_WRONG]);
    }
    const wide = codeAt(p, m.secret).replace(/[0-9]/g, (c) => String.fromCharCode(c.charCodeAt(0) + 0xfee0));
    expect(pathOf(await b.post('/login/second-factor', { code: wide }))).toBe('/');
  });

  it('with two devices asks which one first, and checks the code against the chosen device only', async () => {
    const m = await activeOtpMember(p, {}, '社用スマホ');
    const second = await addDevice(m.memberId, '個人スマホ');
    p.clock.advanceSeconds(30);
    const page = await login(b, m.userId, m.password);
    const devices = devicesOf(page.body);
    expect(devices.map((d) => d.name)).toEqual(['社用スマホ', '個人スマホ']);
    expect(page.body).toMatch(new RegExp(`id="device-${devices[0]!.id}" name="deviceId" value="${devices[0]!.id}" checked`));
    // The personal phone's code for the company phone: refused, and the choice is kept.
    const wrong = await b.post('/login/second-factor', { deviceId: devices[0]!.id, code: codeAt(p, second) });
    expect(wrong.status).toBe(401);
    expect(errorsOf(wrong.body)).toEqual([OTP_WRONG]);
    const kept = await b.post('/login/second-factor', { deviceId: devices[1]!.id, code: '000000' });
    expect(kept.body).toMatch(new RegExp(`id="device-${devices[1]!.id}" name="deviceId" value="${devices[1]!.id}" checked`));
    expect(pathOf(await b.post('/login/second-factor', { deviceId: devices[1]!.id, code: codeAt(p, second) }))).toBe('/');
    // And the company phone's code works when it is chosen.
    const b2 = p.browser();
    await login(b2, m.userId, m.password);
    expect(pathOf(await b2.post('/login/second-factor', { deviceId: devices[0]!.id, code: codeAt(p, m.secret) }))).toBe('/');
  });

  it('counts second-factor failures towards the lockout: back-off ends the login, the lock refuses the password', async () => {
    await p.setSetting('lockout.lockAt', '6');
    const m = await activeOtpMember(p);
    await login(b, m.userId, m.password);
    for (let i = 1; i <= 5; i++) {
      const page = await b.post('/login/second-factor', { code: '000000' });
      expect(pathOf(page), `failure ${i}`).toBe('/login/second-factor');
      expect(errorsOf(page.body)).toEqual([OTP_WRONG]);
    }
    // Five failures: the back-off starts, and the login in progress ends with the generic message.
    const bounced = await b.post('/login/second-factor', { code: codeAt(p, m.secret) });
    expect(pathOf(bounced)).toBe('/login');
    expect(textOf(bounced.body)).toContain(INVALID);
    expect(pathOf(await b.get('/login/second-factor'))).toBe('/login');
    p.clock.advanceSeconds(31);
    const b2 = p.browser();
    await login(b2, m.userId, m.password);
    // The sixth failure locks the account: the session ends, back to the login page.
    const locked = await b2.post('/login/second-factor', { code: '000000' });
    expect(pathOf(locked)).toBe('/login');
    expect(textOf(locked.body)).toContain(INVALID);
    expect(textOf((await login(p.browser(), m.userId, m.password)).body)).toContain(INVALID);
    expect((await queryAudit(p.core, p.society.id, { action: 'login.otp' })).filter((e) => e.outcome === 'failure')).toHaveLength(6);
    await unlockMember(p.core, STAFF, { societyId: p.society.id, userId: m.userId });
    await loginWithOtp(p, p.browser(), m);
  });

  it('offers the passkey instead to a member who has both, and back', async () => {
    const m = await activeOtpMember(p);
    const em = p.core.db.em();
    await em.nativeUpdate(Member, { id: m.memberId }, { preferredMethod: 'otp' });
    const { Passkey } = await import('../../src/core/db/entities/index.js');
    const member = await em.findOneOrFail(Member, { id: m.memberId });
    em.create(Passkey, { member, label: 'パスキー', credentialId: 'AAAAAAAAAAAAAAAAAAAAAA', publicKey: 'AAAA', counter: 0, transports: ['internal'], createdAt: p.clock.now(), lastUsedAt: null });
    await em.flush();
    const page = await login(b, m.userId, m.password);
    expect(page.body).toContain('ワンタイムパスワードの入力');
    expect(page.body).toContain('href="/login/second-factor?method=passkey"');
    const pk = await b.get('/login/second-factor?method=passkey');
    expect(pk.body).toContain('<h1 class="card__heading">生体認証</h1>');
    expect(pk.body).toMatch(/id="passkey-start"[^>]*>次へ<\/button>/);
    expect(pk.body).toContain('href="/login/second-factor?method=otp"');
    expect(pathOf(await b.post('/login/second-factor', { code: codeAt(p, m.secret) }))).toBe('/');
  });

  it('shows スマートデバイスを紛失した場合 only in a recovery session, and it leads to the birth date and a new device', async () => {
    const m = await activeOtpMember(p, {}, '古いスマホ');
    const page = await login(b, m.userId, m.password);
    expect(textOf(page.body)).not.toContain('スマートデバイスを紛失した場合');
    // Not a recovery session: the form is refused without effect.
    expect(pathOf(await b.post('/login/second-factor/lost-device', { kind: 'otp' }))).toBe('/login/second-factor');
    // What the reset link (issue 5) leaves in the session.
    await patchSessionState(p, m.memberId, (s) => ({ ...s, progress: { recovery: true } }));
    const recovery = await b.get('/login/second-factor');
    expect(recovery.body).toMatch(/<form method="post" action="\/login\/second-factor\/lost-device"[\s\S]*?name="kind" value="otp"[\s\S]*?スマートデバイスを紛失した場合<\/button>/);
    let next = await b.post('/login/second-factor/lost-device', { kind: 'otp' });
    expect(pathOf(next)).toBe('/login/birth-date');
    next = await b.post('/login/birth-date', { birthDate: '19790822' });
    expect(pathOf(next)).toBe('/setup/factor');
    expect(next.body).not.toContain('?method=passkey'); // the lost kind is replaced, no switching
    const key = keyOf(next.body);
    next = await b.post('/setup/factor', { code: codeAt(p, key), deviceName: '古いスマホ' });
    // The old device was replaced (same name allowed), then the recovery asks for a new password.
    expect(pathOf(next)).toBe('/login/password');
    const devices = await p.core.db.em().find(TotpDevice, { member: m.memberId });
    expect(devices).toHaveLength(1);
    expect((await queryAudit(p.core, p.society.id, { action: 'factor.replace_lost' })).length).toBe(1);
  });
});
