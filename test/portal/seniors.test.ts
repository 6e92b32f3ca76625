/**
 * Issue 12, "the portal for members in their seventies", over HTTP (points 2, 3, 4, 5, 7, 9, 10;
 * the layout points and the real accessible names are in test/e2e/portal-accessibility.test.ts).
 */
import { describe, it, expect, beforeEach, afterEach } from 'vitest';
import { testDatabases } from '../support/databases.js';
import { startTestPortal, type TestPortal } from './support/portal.js';
import { textOf, type Browser } from './support/browser.js';
import { login, NEW_PASSWORD, pathOf } from './support/flows.js';
import { activeMember, lastResetToken } from './support/recovery.js';
import { activeOtpMember, codeAt, errorsOf, keyOf, loginWithOtp, patchSessionState, toFactorSetup } from './support/second-factor.js';
import { USER_ID_MAIL_SENT } from '../../src/portal/routes/forgot-user-id.js';
import { maskEmail } from '../../src/portal/mask-email.js';

/** The attributes of the `<input>` with this id. */
function inputAttrs(html: string, id: string): string {
  const m = new RegExp(`<input([^>]*\\sid="${id}"[^>]*)>`).exec(html);
  if (!m) throw new Error(`no input #${id}`);
  return m[1]!;
}

const invalid = (html: string, id: string) => /aria-invalid="true"/.test(inputAttrs(html, id));

/** The progress block above the card: its title, step count, current step and what comes next. */
function progressOf(html: string) {
  const block = /<div class="progress">([\s\S]*?)<\/ol>\s*(?:<p class="progress__next" id="progress-next">([^<]*)<\/p>)?/.exec(html);
  if (!block) return null;
  return {
    title: textOf(/<p class="progress__title"[^>]*>([\s\S]*?)<\/p>/.exec(block[1]!)![1]!).trim(),
    label: /<ol class="stepper" aria-label="([^"]*)"/.exec(block[1]!)![1],
    steps: [...block[1]!.matchAll(/<span class="stepper__label">([^<]*)<\/span>/g)].map((m) => m[1]),
    current: /aria-current="step"><span class="stepper__num">\d+<\/span><span class="stepper__label">([^<]*)</.exec(block[1]!)?.[1],
    next: block[2] ?? null,
  };
}

/** The text of the submit button of the (first) form posting to `action`. */
function submitOf(html: string, action: string): string {
  const form = new RegExp(`<form method="post" action="${action.replace(/[/]/g, '\\/')}"[\\s\\S]*?<\\/form>`).exec(html)?.[0] ?? '';
  return textOf(/<button[^>]*type="submit"[^>]*>([\s\S]*?)<\/button>/.exec(form)?.[1] ?? '').trim();
}

describe.each(testDatabases)('issue 12 over HTTP on $name', (database) => {
  let p: TestPortal;
  beforeEach(async () => {
    p = await startTestPortal(database);
  });
  afterEach(async () => p.stop());

  async function openResetLink(userId: string): Promise<{ b: Browser; landing: string }> {
    const asker = p.browser();
    await asker.get('/password/forgot');
    await asker.post('/password/forgot', { userId });
    const b = p.browser();
    const token = await lastResetToken(p);
    const landing = (await b.get(`/password/reset/${token}`)).body;
    const page = await b.post('/password/reset', { token });
    expect(pathOf(page)).toBe('/login/second-factor');
    return { b, landing };
  }

  describe('point 2: the password reset says where the member is and what comes next', () => {
    it('the link page lists the steps and its button says where it goes', async () => {
      const m = await activeMember(p);
      p.clock.advanceSeconds(60);
      const { landing } = await openResetLink(m.userId);
      expect(landing).toContain('<h1 class="card__heading">パスワードの再設定</h1>');
      const plan = /<ol class="plan" id="reset-plan">([\s\S]*?)<\/ol>/.exec(landing)?.[1] ?? '';
      expect([...plan.matchAll(/<span class="plan__title">([^<]*)<\/span>/g)].map((x) => x[1])).toEqual(['本人確認', '新しいパスワードの設定']);
      expect(textOf(landing)).toContain('「スマートデバイスを紛失した場合」');
      expect(submitOf(landing, '/password/reset')).toBe('本人確認へ進む');
    });

    it('the code page is step 1 of 2 of パスワードの再設定, says the password comes next, and its button goes there', async () => {
      const m = await activeMember(p);
      p.clock.advanceSeconds(60);
      const { b } = await openResetLink(m.userId);
      let page = b.lastPage!;
      expect(progressOf(page.body)).toEqual({
        title: 'パスワードの再設定 手順 1 / 2',
        label: 'パスワードの再設定の手順',
        steps: ['本人確認', '新しいパスワード'],
        current: '本人確認',
        next: '本人確認ができたら、次にパスワードを変更します。',
      });
      expect(textOf(page.body)).toContain('パスワードの再設定のため、ご本人であることを確認します。');
      expect(submitOf(page.body, '/login/second-factor')).toBe('パスワードの変更へ進む');
      expect(page.body).not.toContain('トップページへ');
      // The lost-phone way is a full-width button under its own heading, not small link text.
      expect(page.body).toMatch(
        /<div class="lost-device" id="lost-device">\s*<h2 class="lost-device__title">スマートデバイスが手元にない方へ<\/h2>[\s\S]*?<button class="button button--secondary button--block" type="submit">スマートデバイスを紛失した場合<\/button>/,
      );
      page = await b.post('/login/second-factor', { code: codeAt(p, m.secret) });
      expect(pathOf(page)).toBe('/login/password');
      expect(progressOf(page.body)).toMatchObject({ title: 'パスワードの再設定 手順 2 / 2', current: '新しいパスワード', next: '新しいパスワードを設定すると、パスワードの再設定は完了です。' });
      page = await b.post('/login/password', { password: NEW_PASSWORD, passwordConfirm: NEW_PASSWORD, signOutOthers: '1' });
      expect(pathOf(page)).toBe('/');
      expect(progressOf(page.body)).toBeNull();
    });

    it('after スマートデバイスを紛失した場合 the steps are birth date, new device, new password', async () => {
      const m = await activeMember(p);
      p.clock.advanceSeconds(60);
      const { b } = await openResetLink(m.userId);
      let page = await b.post('/login/second-factor/lost-device', { kind: 'otp' });
      expect(pathOf(page)).toBe('/login/birth-date');
      expect(progressOf(page.body)).toMatchObject({ title: 'パスワードの再設定 手順 1 / 3', steps: ['生年月日', '認証の再設定', '新しいパスワード'], current: '生年月日' });
      expect(progressOf(page.body)!.next).toContain('次にパスワードを変更します');
      page = await b.post('/login/birth-date', { birthDate: '19790822' });
      expect(pathOf(page)).toBe('/setup/factor');
      expect(progressOf(page.body)).toMatchObject({ title: 'パスワードの再設定 手順 2 / 3', current: '認証の再設定', next: '新しいスマートデバイスを設定したら、次にパスワードを変更します。' });
    });

    it("an ordinary login keeps the manual's トップページへ and shows no reset steps", async () => {
      const m = await activeOtpMember(p);
      const b = p.browser();
      const page = await login(b, m.userId, m.password);
      expect(submitOf(page.body, '/login/second-factor')).toBe('トップページへ');
      expect(progressOf(page.body)).toBeNull();
    });
  });

  describe('point 3: OTP set-up keeps the key at hand', () => {
    it("after a wrong code the key stays open; a copy button (enabled by a nonce'd script) carries the key without spaces", async () => {
      const b = p.browser();
      const { page } = await toFactorSetup(p, b, await p.issue());
      expect(page.body).toMatch(/<details class="otp-manual">/);
      const key = keyOf(page.body);
      const copy = /<p class="otp-copy" hidden><button class="button button--secondary otp-copy__button" type="button" id="otp-copy" data-key="([A-Z2-7]+)">キーをコピー<\/button>/.exec(page.body);
      expect(copy?.[1]).toBe(key.replace(/ /g, ''));
      const nonce = /<script nonce="([^"]+)" src="\/assets\/otp-setup.js"><\/script>/.exec(page.body)?.[1];
      expect(nonce).toBeTruthy();
      expect(page.headers.get('content-security-policy')).toContain(`'nonce-${nonce}'`);
      const script = await fetch(new URL('/assets/otp-setup.js', p.url));
      expect(script.status).toBe(200);
      expect(await script.text()).toContain('navigator.clipboard.writeText');
      const wrong = await b.post('/setup/factor', { code: '000000', deviceName: 'iPhone', logoutSessions: '1' });
      expect(wrong.status).toBe(400);
      expect(wrong.body).toMatch(/<details class="otp-manual" open>\s*<summary>スキャンできませんか\?<\/summary>/);
      expect(keyOf(wrong.body)).toBe(key);
    });
  });

  describe('point 4: an error outlines the field it is about', () => {
    it('ユーザIDの変更: 認証方式を選択してください。 outlines the method, not the user ID', async () => {
      const b = p.browser();
      const issued = await p.issue();
      await login(b, issued.userId, issued.password);
      await b.post('/login/birth-date', { birthDate: '19790822' });
      await b.post('/login/terms', { version: '1' });
      const page = await b.post('/login/user-id', { userId: 'yamada.taro', platform: '0' });
      expect(errorsOf(page.body)).toEqual(['認証方式を選択してください。']);
      expect(invalid(page.body, 'userId')).toBe(false);
      expect(inputAttrs(page.body, 'userId')).toContain('value="yamada.taro"');
      expect(page.body).toMatch(/<fieldset class="field choice choice--invalid" aria-describedby="form-errors">/);
      expect(invalid(page.body, 'method-otp')).toBe(true);
      const bad = await b.post('/login/user-id', { userId: 'x!', method: 'otp', platform: '0' });
      expect(invalid(bad.body, 'userId')).toBe(true);
      expect(invalid(bad.body, 'method-otp')).toBe(false);
    });

    it('OTP set-up: a device name already in use outlines デバイス名 and keeps the typed code; a wrong code outlines the code only', async () => {
      const m = await activeOtpMember(p, {}, 'iPhone');
      const b = p.browser();
      await loginWithOtp(p, b, m);
      p.clock.advanceSeconds(30);
      let page = await b.get('/login-methods/otp/new');
      const key = keyOf(page.body).replace(/ /g, '');
      const code = codeAt(p, key);
      page = await b.post('/login-methods/otp/new', { code, deviceName: 'iPhone', logoutSessions: '1' });
      expect(page.status).toBe(409);
      expect(errorsOf(page.body)).toEqual(['このデバイス名は既に登録されています。別の名前を入力してください。']);
      expect(invalid(page.body, 'deviceName')).toBe(true);
      expect(invalid(page.body, 'code')).toBe(false);
      expect(inputAttrs(page.body, 'code')).toContain(`value="${code}"`);
      // Corrected name, the same code: through.
      const ok = await b.post('/login-methods/otp/new', { code, deviceName: 'iPad', logoutSessions: '1' });
      expect(pathOf(ok)).toBe('/login-methods');
      await b.get('/login-methods/otp/new');
      page = await b.post('/login-methods/otp/new', { code: '000000', deviceName: 'Android' });
      expect(invalid(page.body, 'code')).toBe(true);
      expect(invalid(page.body, 'deviceName')).toBe(false);
      expect(inputAttrs(page.body, 'code')).toContain('value=""');
      expect(inputAttrs(page.body, 'deviceName')).toContain('value="Android"');
    });

    it('認証ラベルの登録: an empty label says 認証ラベルを入力してください。 and outlines the label', async () => {
      const b = p.browser();
      const issued = await p.issue();
      await toFactorSetup(p, b, issued, { userId: 'yamada.taro', method: 'passkey' });
      await patchSessionState(p, issued.memberId, (s) => ({
        ...s,
        pendingPasskey: {
          passkey: { credentialId: Buffer.alloc(16, 7).toString('base64url'), publicKey: 'pQECAyYgASFYIA', counter: 0, transports: ['internal'] },
          createdAt: p.clock.now().toISOString(),
        },
      }));
      await b.get('/setup/factor/passkey/label');
      const page = await b.post('/setup/factor/passkey/label', { label: ' ' });
      expect(page.status).toBe(400);
      expect(errorsOf(page.body)).toEqual(['認証ラベルを入力してください。']);
      expect(textOf(page.body)).not.toContain('デバイス名');
      expect(invalid(page.body, 'label')).toBe(true);
    });

    it('password pages outline パスワード確認用 for a mismatch; the forgot-user-ID form outlines only the malformed field', async () => {
      const b = p.browser();
      const issued = await p.issue();
      await login(b, issued.userId, issued.password);
      await b.post('/login/birth-date', { birthDate: '19790822' });
      await b.post('/login/terms', { version: '1' });
      await b.post('/login/user-id', { userId: 'yamada.taro', method: 'otp', platform: '0' });
      let page = await b.post('/login/password', { password: NEW_PASSWORD, passwordConfirm: `${NEW_PASSWORD}x` });
      expect(errorsOf(page.body)).toEqual(['パスワードが一致しません。']);
      expect([invalid(page.body, 'password'), invalid(page.body, 'passwordConfirm')]).toEqual([false, true]);
      page = await b.post('/login/password', { password: 'short', passwordConfirm: 'short' });
      expect([invalid(page.body, 'password'), invalid(page.body, 'passwordConfirm')]).toEqual([true, false]);
      const g = p.browser();
      await g.get('/user-id/forgot');
      page = await g.post('/user-id/forgot', { birthDate: '1979082', email: 'taro@example.jp' });
      expect([invalid(page.body, 'birthDate'), invalid(page.body, 'email')]).toEqual([true, false]);
    });
  });

  describe('point 5: OTP認証 is preselected when 生体認証 cannot be chosen', () => {
    async function userIdPage(): Promise<string> {
      const b = p.browser();
      const issued = await p.issue();
      await login(b, issued.userId, issued.password);
      await b.post('/login/birth-date', { birthDate: '19790822' });
      return (await b.post('/login/terms', { version: '1' })).body;
    }

    it('no relying party on this address (no public URL, not localhost): 生体認証 stays off, OTP認証 is checked, and the page says why', async () => {
      const html = await userIdPage();
      expect(inputAttrs(html, 'method-passkey')).toMatch(/ disabled/);
      expect(inputAttrs(html, 'method-passkey')).toContain('data-unavailable="1"');
      expect(inputAttrs(html, 'method-otp')).toMatch(/ checked/);
      expect(textOf(html)).toContain('この画面からは生体認証を利用できません。OTP認証を選択してください。');
    });

    it('with a relying party, OTP認証 starts checked (no JavaScript: the only choice) and marked for the page script to undo', async () => {
      await p.setSetting('publicUrl', `http://localhost:${new URL(p.url).port}`);
      const html = await userIdPage();
      expect(inputAttrs(html, 'method-passkey')).not.toContain('data-unavailable');
      expect(inputAttrs(html, 'method-otp')).toMatch(/ checked data-preselected="1"/);
    });
  });

  describe('point 7: names that say what a control does', () => {
    it('the header name link says ログアウト; 削除 / 設定 / 更新 name what they act on; no "›" text in the CSS', async () => {
      const m = await activeOtpMember(p, {}, '社用スマホ');
      const b = p.browser();
      await loginWithOtp(p, b, m);
      const top = await b.get('/');
      expect(top.body).toMatch(/<a class="account__name" href="\/logout" aria-label="山田 太郎 様 ログアウト">/);
      const page = await b.get('/login-methods');
      expect(page.body).toMatch(/aria-label="「社用スマホ」を削除" href="\/login-methods\/otp\/\d+\/delete">削除<\/a>/);
      expect(page.body).toContain('aria-label="パスワードを更新" href="/login-methods/password">更新</a>');
      expect(page.body).toContain('aria-label="認証アプリ(ワンタイムパスワード)を追加で設定" href="/login-methods/otp/new">設定</a>');
      expect(page.body).toContain('aria-label="生体認証(パスキー)を追加で設定" href="/login-methods/passkey/new">設定</a>');
      const css = await (await fetch(new URL('/assets/portal.css', p.url))).text();
      expect(css).not.toMatch(/content:\s*"›"/);
    });
  });

  describe('point 9: the FAQ links the steps it names and uses the portal title', () => {
    it('turns 手順「3-3…」 and the other steps into links to the portal pages, and never says KOSMO Communication Web', async () => {
      const page = await p.browser().get('/faq');
      expect(page.body).not.toContain('KOSMO Communication Web');
      expect(page.body).toContain('<a href="/password/forgot">手順「3-3. パスワードを忘れた場合」</a>を確認し、変更をお願いします。');
      expect(page.body).toContain('<a href="/login-methods">手順「3-6. 多要素認証アプリの追加登録」</a>');
      expect(page.body).toContain('<a href="/login-methods">手順「3-7. 多要素認証アプリの削除」</a>');
      // A3, A4 and A14 refer to 3-3: three links.
      expect(page.body.match(/<a href="\/password\/forgot">手順「3-3/g)).toHaveLength(3);
      expect(page.body).toContain('<span>大和総研健保加入者ページのパスワードポリシーを教えてください</span>');
      expect(textOf(page.body)).toContain('大和総研健保加入者ページにて設定可能なパスワードポリシーはこちらを参照ください。');
      expect(textOf(page.body)).toContain('大和総研健保加入者ページのパスワードを忘れてログインできない場合は');
    });
  });

  describe('point 10: what a first-time member needs, and where the user-ID mail went', () => {
    it('はじめてご利用の方へ says a smartphone (biometrics or an authenticator app) will be needed', async () => {
      const page = await p.browser().get('/');
      const card = /<h2 class="card__title">はじめてご利用の方へ<\/h2>([\s\S]*?)<\/section>/.exec(page.body)![1]!;
      const text = textOf(card);
      expect(text).toContain('ご用意いただくもの');
      expect(text).toContain('スマートフォン(またはタブレット)');
      expect(text).toContain('認証アプリ(Google Authenticator、Microsoft Authenticator など)');
    });

    it('the forgot-user-ID confirmation repeats the typed address, masked, whether or not it is registered', async () => {
      const m = await activeMember(p);
      const shown: string[] = [];
      for (const [birthDate, email] of [
        ['19790822', m.email],
        ['19790823', m.email],
        ['19790822', 'taro.yamada@example.jp'],
      ] as const) {
        const b = p.browser();
        await b.get('/user-id/forgot');
        const page = await b.post('/user-id/forgot', { birthDate, email });
        expect(pathOf(page)).toBe('/login');
        const flash = textOf(/<div class="alert alert--info alert--flash" id="flash" role="status">([\s\S]*?)<\/div>/.exec(page.body)![1]!).trim();
        expect(flash).toContain(USER_ID_MAIL_SENT);
        expect(flash).toContain(`入力されたメールアドレス:${maskEmail(email)}`);
        expect(page.body).not.toContain(email);
        shown.push(flash);
      }
      // Registered (right date) and registered (wrong date): the same words.
      expect(shown[1]).toBe(shown[0]);
      expect(maskEmail('taro.yamada@example.jp')).toBe('ta***@example.jp');
      expect(shown[2]).toContain('ta***@example.jp');
    });

    it('masks short local parts without telling their length', () => {
      expect(maskEmail('taro@example.jp')).toBe('ta***@example.jp');
      expect(maskEmail('abc@example.jp')).toBe('a***@example.jp');
      expect(maskEmail('a@example.jp')).toBe('***@example.jp');
      expect(maskEmail(' Ｔａｒｏ@example.jp ')).toBe('Ta***@example.jp');
      expect(maskEmail('no-at-sign')).toBe('***');
    });
  });
});
