import { describe, it, expect, beforeEach, afterEach } from 'vitest';
import { testDatabases } from '../support/databases.js';
import { STAFF } from '../support/core.js';
import { startTestPortal, freshOtpCode, type TestPortal } from './support/portal.js';
import { textOf, type Browser } from './support/browser.js';
import { firstLogin, login, NEW_PASSWORD, pathOf } from './support/flows.js';
import { showMember } from '../../src/core/accounts/member-detail.js';
import { RECOVERY_CODES_OFFER } from '../../src/portal/routes/second-factor-setup.js';
import { publishTerms } from '../../src/core/terms/publish-terms.js';

const M = {
  birthMismatch: '生年月日が正しくありません。',
  birthInvalid: '生年月日を8桁の数字で入力してください(入力例:19790822)。',
  userIdRequired: 'ユーザIDを入力してください。',
  userIdLength: 'ユーザIDは8文字以上、13文字以内で入力してください。',
  userIdChars: 'ユーザIDに利用できない文字が含まれています。',
  userIdTaken: 'このユーザIDは既に使用されています。別のユーザIDを入力してください。',
  methodRequired: '認証方式を選択してください。',
  methodNotAllowed: 'この認証方式は選択できません。',
  pwRequired: 'パスワードを入力してください。',
  pwShort: 'パスワードは8文字以上で入力してください。',
  pwLong: 'パスワードは64文字以内で入力してください。',
  pwChars: 'パスワードに利用できない文字が含まれています。',
  pwMismatch: 'パスワードが一致しません。',
  pwUserId: 'ユーザIDと同じ文字列はパスワードに設定できません。',
  pwUnchanged: '現在ご使用中のパスワードでは更新できません。',
  pwCommon: 'よく使われているパスワードのため設定できません。別のパスワードを入力してください。',
  email1: 'メールアドレスを入力してください。',
  email2: '他のアカウントで設定されているメールアドレスです。別のメールアドレスを入力してください。',
  email3: '無効なメールアドレスです。入力したメールアドレスに誤りがないかご確認ください。',
  email4: '設定可能なメールアドレスの最大文字数は 255 文字です。',
};

/** Error messages shown above the form (the alert list), in order. */
function formErrors(html: string): string[] {
  const block = /<div class="alert alert--error" role="alert" id="form-errors">([\s\S]*?)<\/div>/.exec(html)?.[1] ?? '';
  return [...block.matchAll(/<li>([\s\S]*?)<\/li>/g)].map((m) => textOf(m[1]!).trim());
}

describe.each(testDatabases)('first login on $name', (database) => {
  let p: TestPortal;
  let b: Browser;
  let issued: { userId: string; password: string; memberId: number };
  beforeEach(async () => {
    p = await startTestPortal(database);
    issued = await p.issue();
    b = p.browser();
  });
  afterEach(async () => p.stop());

  async function toStep(step: 'birth' | 'terms' | 'user-id' | 'password' | 'email', userId = 'yamada.taro') {
    let page = await login(b, issued.userId, issued.password);
    if (step === 'birth') return page;
    page = await b.post('/login/birth-date', { birthDate: '19790822' });
    if (step === 'terms') return page;
    page = await b.post('/login/terms', { version: '1' });
    if (step === 'user-id') return page;
    page = await b.post('/login/user-id', { userId, method: 'otp' });
    if (step === 'password') return page;
    return b.post('/login/password', { password: NEW_PASSWORD, passwordConfirm: NEW_PASSWORD });
  }

  it('walks birth date → terms → user ID → password → email → second factor → top page, in order', async () => {
    const own = await firstLogin(p, b, issued, { userId: 'Yamada.Taro', email: 'taro@example.jp' });
    expect(own.page.body).toContain('サービスメニュー');
    // Recovery codes are offered once the first factor is set up (docs/member-security.md), once.
    expect(textOf(own.page.body)).toContain(RECOVERY_CODES_OFFER);
    expect(textOf((await b.get('/')).body)).not.toContain(RECOVERY_CODES_OFFER);
    const d = await showMember(p.core, p.society.id, 'yamada.taro');
    expect(d).toMatchObject({ status: 'active', onboardingStep: null, preferredMethod: 'otp', email: 'taro@example.jp', acceptedTermsVersion: 1 });
    expect(d.lastLoginAt).not.toBeNull();
    // The member's own ID (folded to lower case) and password now log in; the provisional ones do not.
    const again = p.browser();
    expect(pathOf(await login(again, 'YAMADA.TARO', NEW_PASSWORD))).toBe('/login/second-factor');
    const old = p.browser();
    expect(textOf((await login(old, issued.userId, issued.password)).body)).toContain('無効なユーザIDまたはパスワードです。');
  });

  it('shows each step with its spec title, labels and button', async () => {
    let page = await toStep('birth');
    expect(textOf(page.body)).toContain('生年月日の入力');
    expect(page.body).toMatch(/<label class="field__label" for="birthDate">生年月日\(入力例:19790822\)<\/label>/);
    expect(page.body).toContain('autocomplete="bday"');
    page = await b.post('/login/birth-date', { birthDate: '19790822' });
    expect(textOf(page.body)).toContain('利用規約の確認');
    expect(page.body).toContain('この規約は加入者ページの利用条件を定めます。');
    expect(page.body).toMatch(/<button[^>]*>同意する<\/button>/);
    page = await b.post('/login/terms', { version: '1' });
    expect(textOf(page.body)).toContain('ユーザIDの変更');
    expect(page.body).toMatch(/<label for="method-passkey"><span class="choice__title">生体認証<\/span>/);
    expect(page.body).toMatch(/<label for="method-otp"><span class="choice__title">OTP認証<\/span>/);
    expect(page.body).toMatch(/<button[^>]*>実行<\/button>/);
    expect(page.body).toContain('>利用不可文字一覧を見る</a>');
    page = await b.post('/login/user-id', { userId: 'yamada.taro', method: 'otp' });
    expect(textOf(page.body)).toContain('パスワードの更新');
    expect(page.body).toMatch(/<label class="field__label" for="password">パスワード<\/label>/);
    expect(page.body).toMatch(/<label class="field__label" for="passwordConfirm">パスワード確認用<\/label>/);
    expect(page.body.match(/autocomplete="new-password"/g)).toHaveLength(2);
    expect(page.body).toMatch(/<button[^>]*>送信<\/button>/);
    page = await b.post('/login/password', { password: NEW_PASSWORD, passwordConfirm: NEW_PASSWORD });
    expect(textOf(page.body)).toContain('メールアドレスの更新');
    expect(page.body).toContain('value="taro@example.jp"');
    expect(page.body).toContain('autocomplete="email"');
    expect(page.body).toMatch(/<button[^>]*>送信<\/button>/);
  });

  it('checks the birth date: wrong and malformed dates are refused with their messages', async () => {
    await toStep('birth');
    expect(formErrors((await b.post('/login/birth-date', { birthDate: '19790823' })).body)).toEqual([M.birthMismatch]);
    expect(formErrors((await b.post('/login/birth-date', { birthDate: '1979082' })).body)).toEqual([M.birthInvalid]);
    const ok = await b.post('/login/birth-date', { birthDate: '１９７９０８２２' });
    expect(pathOf(ok)).toBe('/login/terms');
  });

  it('applies every user ID rule with the spec messages, and folds upper case', async () => {
    await toStep('user-id');
    const cases: [string, string][] = [
      ['', M.userIdRequired],
      ['short1', M.userIdLength],
      ['abcdefghijklmn', M.userIdLength],
      ['yamada taro', M.userIdChars],
      ['yamada!taro', M.userIdChars],
      ['やまだたろう123', M.userIdChars],
    ];
    for (const [userId, message] of cases) {
      const page = await b.post('/login/user-id', { userId, method: 'otp' });
      expect(page.status, userId).toBe(400);
      expect(formErrors(page.body), userId).toEqual([message]);
      expect(pathOf(page)).toBe('/login/user-id');
    }
    const other = await p.issue({ name: '佐藤 花子', kana: 'サトウ ハナコ', email: 'hanako@example.jp' });
    await firstLogin(p, p.browser(), other, { userId: 'taken.id1' });
    const taken = await b.post('/login/user-id', { userId: 'TAKEN.ID1', method: 'otp' });
    expect(taken.status).toBe(409);
    expect(formErrors(taken.body)).toEqual([M.userIdTaken]);
    expect(formErrors((await b.post('/login/user-id', { userId: 'yamada.taro' })).body)).toEqual([M.methodRequired]);
    const page = await b.post('/login/user-id', { userId: 'Ｙａｍａｄａ.Taro@1', method: 'otp' });
    expect(pathOf(page)).toBe('/login/password');
    expect((await showMember(p.core, p.society.id, 'yamada.taro@1')).userId).toBe('yamada.taro@1');
  });

  it('offers 生体認証 only with a platform authenticator: disabled without the script, refused if forced', async () => {
    const page = await toStep('user-id');
    expect(page.body).toMatch(/id="method-passkey" name="method" value="passkey" disabled/);
    expect(page.body).toContain('name="platform" value="0"');
    // The nonce'd script asks the browser and enables the choice.
    const nonce = /script-src 'nonce-([^']+)'/.exec(page.headers.get('content-security-policy')!)![1]!;
    expect(page.body).toContain(`<script nonce="${nonce}">`);
    expect(page.body).toContain('PublicKeyCredential.isUserVerifyingPlatformAuthenticatorAvailable()');
    const forced = await b.post('/login/user-id', { userId: 'yamada.taro', method: 'passkey', platform: '0' });
    expect(formErrors(forced.body)).toEqual([M.methodNotAllowed]);
    const ok = await b.post('/login/user-id', { userId: 'yamada.taro', method: 'passkey', platform: '1' });
    expect(pathOf(ok)).toBe('/login/password');
    expect((await showMember(p.core, p.society.id, 'yamada.taro')).preferredMethod).toBe('passkey');
  });

  it('lists the allowed and not-allowed user ID characters', async () => {
    const page = await b.get('/user-id/characters');
    expect(page.status).toBe(200);
    const text = textOf(page.body);
    expect(text).toContain('利用不可文字一覧');
    expect(text).toContain('ユーザIDに利用できる文字');
    expect(text).toContain('ユーザIDに利用できない文字');
    for (const c of ['-', '_', '.', '@']) expect(page.body).toContain(`<code>${c}</code>`);
    for (const c of ['!', '?', '#', '&amp;', '&lt;']) expect(page.body).toContain(`<code>${c}</code>`);
  });

  it('applies every password rule with the spec messages', async () => {
    await toStep('password', 'yamada.taro');
    const cases: [string, string, string][] = [
      ['', '', M.pwRequired],
      ['Kosmo-1!', 'Kosmo-2!', M.pwMismatch],
      ['Ko-1!', 'Ko-1!', M.pwShort],
      ['K'.repeat(30) + '-'.repeat(35), 'K'.repeat(30) + '-'.repeat(35), M.pwLong],
      ['Kosmo パスワード1', 'Kosmo パスワード1', M.pwChars],
      ['yamada.taro', 'yamada.taro', M.pwUserId],
      ['YAMADA.TARO', 'YAMADA.TARO', M.pwUserId],
      [issued.password, issued.password, M.pwUnchanged],
      ['password1', 'password1', M.pwCommon],
      ['iloveyou', 'iloveyou', M.pwCommon],
    ];
    for (const [password, passwordConfirm, message] of cases) {
      const page = await b.post('/login/password', { password, passwordConfirm });
      expect(page.status, password).toBe(400);
      expect(formErrors(page.body), password).toEqual([message]);
      // A password is never echoed back into the page.
      if (password.length > 3) expect(page.body.includes(`value="${password}"`)).toBe(false);
    }
    expect(pathOf(await b.post('/login/password', { password: NEW_PASSWORD, passwordConfirm: NEW_PASSWORD }))).toBe('/login/email');
  });

  it('gives the four email messages exactly, 3 and 4 together from 256 characters', async () => {
    await toStep('email');
    expect(formErrors((await b.post('/login/email', { email: '' })).body)).toEqual([M.email1]);
    expect(formErrors((await b.post('/login/email', { email: 'taro?@example.jp' })).body)).toEqual([M.email3]);
    expect(formErrors((await b.post('/login/email', { email: 'taro.@example.jp' })).body)).toEqual([M.email3]);
    const long = 'a'.repeat(244) + '@example.jp';
    expect(long.length).toBe(255);
    expect(formErrors((await b.post('/login/email', { email: 'a' + long })).body)).toEqual([M.email3, M.email4]);
    await p.issue({ name: '佐藤 花子', kana: 'サトウ ハナコ', email: 'hanako@example.jp' });
    const taken = await b.post('/login/email', { email: 'Hanako@Example.jp' });
    expect(taken.status).toBe(409);
    expect(formErrors(taken.body)).toEqual([M.email2]);
    expect(pathOf(await b.post('/login/email', { email: 'taro.new@example.jp' }))).toBe('/setup/factor');
    expect((await showMember(p.core, p.society.id, 'yamada.taro')).email).toBe('taro.new@example.jp');
  });

  it('cannot skip a step by typing a later URL, nor post to one', async () => {
    await toStep('birth');
    for (const path of ['/login/terms', '/login/user-id', '/login/password', '/login/email', '/setup/factor', '/login/second-factor', '/', '/profile', '/login-methods', '/login']) {
      const page = await b.get(path);
      expect(pathOf(page), path).toBe('/login/birth-date');
    }
    const posted = await b.post('/login/password', { password: NEW_PASSWORD, passwordConfirm: NEW_PASSWORD });
    expect(pathOf(posted)).toBe('/login/birth-date');
    expect(posted.hops[0]!.status).toBe(303);
    const afterTerms = await b.post('/login/terms', { version: '1' });
    expect(pathOf(afterTerms)).toBe('/login/birth-date');
    const d = await showMember(p.core, p.society.id, issued.userId);
    expect(d.onboardingStep).toBe('birth_date');
    expect(d.acceptedTermsVersion).toBeNull();
    // Going back to an earlier step is not possible either.
    await b.post('/login/birth-date', { birthDate: '19790822' });
    await b.post('/login/terms', { version: '1' });
    expect(pathOf(await b.get('/login/birth-date'))).toBe('/login/user-id');
    expect(pathOf(await b.get('/login/terms'))).toBe('/login/user-id');
  });

  it('asks for the birth date again in a new session while the provisional password is in use', async () => {
    await toStep('user-id');
    const b2 = p.browser();
    expect(pathOf(await login(b2, issued.userId, issued.password))).toBe('/login/birth-date');
  });

  it('never lets a member past the second-factor set-up of the default portal without a valid code', async () => {
    const plain = await startTestPortal(database);
    try {
      const m = await plain.issue();
      const pb = plain.browser();
      await login(pb, m.userId, m.password);
      await pb.post('/login/birth-date', { birthDate: '19790822' });
      await pb.post('/login/terms', { version: '1' });
      await pb.post('/login/user-id', { userId: 'yamada.taro', method: 'otp' });
      await pb.post('/login/password', { password: NEW_PASSWORD, passwordConfirm: NEW_PASSWORD });
      const page = await pb.post('/login/email', { email: 'taro@example.jp' });
      expect(pathOf(page)).toBe('/setup/factor');
      expect(textOf(page.body)).toContain('ワンタイムパスワードの設定');
      const posted = await pb.post('/setup/factor', { code: '246810', deviceName: 'iPhone' });
      expect(posted.status).toBe(400);
      expect(textOf(posted.body)).toContain('認証コードが異なります');
      for (const path of ['/', '/profile', '/login/second-factor']) expect(pathOf(await pb.get(path)), path).toBe('/setup/factor');
      expect((await showMember(plain.core, plain.society.id, 'yamada.taro')).status).toBe('provisional');
    } finally {
      await plain.stop();
    }
  });

  it('shows updated terms after the second factor of a later login (§2.12)', async () => {
    const own = await firstLogin(p, b, issued);
    await publishTerms(p.core, STAFF, { societyId: p.society.id, body: '第2版の規約です。' });
    const b2 = p.browser();
    await login(b2, own.userId, own.password);
    let page = await b2.post('/login/second-factor', { code: await freshOtpCode(p, own.userId) });
    expect(pathOf(page)).toBe('/login/terms');
    expect(page.body).toContain('第2版の規約です。');
    expect(pathOf(await b2.get('/'))).toBe('/login/terms');
    // Accepting a version other than the one shown is refused.
    page = await b2.post('/login/terms', { version: '1' });
    expect(textOf(page.body)).toContain('利用規約が更新されました。もう一度ご確認ください。');
    page = await b2.post('/login/terms', { version: '2' });
    expect(pathOf(page)).toBe('/');
  });
});
