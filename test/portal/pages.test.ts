import { describe, it, expect, beforeEach, afterEach } from 'vitest';
import { testDatabases } from '../support/databases.js';
import { startTestPortal, type TestPortal } from './support/portal.js';
import { textOf, type Page } from './support/browser.js';
import { activeMemberSession, login, pathOf } from './support/flows.js';
import { Session } from '../../src/core/db/entities/index.js';
import { showMember } from '../../src/core/accounts/member-detail.js';

const TITLE = '大和総研健保加入者ページ';

/** Every visible form control has a <label for=…> naming it (hidden inputs excepted). */
function expectLabelledInputs(page: Page): void {
  for (const m of page.body.matchAll(/<input([^>]*)>/g)) {
    const attrs = m[1]!;
    if (/type="hidden"/.test(attrs)) continue;
    const id = /id="([^"]+)"/.exec(attrs)?.[1];
    expect(id, attrs).toBeTruthy();
    expect(page.body, `label for ${id}`).toMatch(new RegExp(`<label[^>]*for="${id}"[^>]*>[^<]*\\S`));
  }
}

function expectLayout(page: Page): void {
  expect(page.body).toMatch(/^<!doctype html>\s*<html lang="ja">/);
  expect(page.body).toContain('<meta name="viewport" content="width=device-width, initial-scale=1">');
  expect(page.body).toMatch(new RegExp(`<title>[^<]*${TITLE}</title>`));
  expect(page.body).toContain(`<span class="brand__title">${TITLE}</span>`);
  expect(page.body).toContain('<link rel="stylesheet" href="/assets/portal.css">');
  expectLabelledInputs(page);
}

describe.each(testDatabases)('portal pages on $name', (database) => {
  let p: TestPortal;
  beforeEach(async () => {
    p = await startTestPortal(database);
  });
  afterEach(async () => p.stop());

  it('shows the top page before login with ログイン top right and the menu icon', async () => {
    const page = await p.browser().get('/');
    expect(page.status).toBe(200);
    expectLayout(page);
    expect(page.body).toMatch(/<div class="account">\s*<a class="account__login" href="\/login">ログイン<\/a>/);
    expect(page.body).toMatch(/<summary class="menu__button" aria-label="メニュー">/);
    expect(page.body).not.toContain('class="main-nav"');
    expect(page.body).not.toContain('プロフィール変更');
  });

  it('carries the portal title, lang="ja" and real labels on every page', async () => {
    const issued = await p.issue();
    const b = p.browser();
    const pages = [await b.get('/'), await b.get('/faq'), await b.get('/user-id/characters'), await b.get('/no-such-page')];
    pages.push(await login(b, issued.userId, issued.password));
    pages.push(await b.post('/login/birth-date', { birthDate: '19790822' }));
    pages.push(await b.post('/login/terms', { version: '1' }));
    pages.push(await b.post('/login/user-id', { userId: 'yamada.taro', method: 'otp' }));
    pages.push(await b.post('/login/password', { password: 'Kosmo-Portal-2026!', passwordConfirm: 'Kosmo-Portal-2026!' }));
    const { b: member } = await activeMemberSession(p);
    for (const path of ['/', '/profile', '/logout', '/login-methods', '/faq']) pages.push(await member.get(path));
    for (const page of pages) expectLayout(page);
  });

  it('shows the society service menu after login, with the member name top right and the PC navigation', async () => {
    await p.setSetting(
      'serviceMenu',
      JSON.stringify([
        { title: '医療費のお知らせ', url: 'https://services.example.jp/iryohi', description: '医療費の明細を確認できます' },
        { title: '健診予約', url: '/kenshin' },
        { title: '悪いリンク', url: 'javascript:alert(1)' },
      ]),
    );
    const { b } = await activeMemberSession(p);
    const page = await b.get('/');
    expect(textOf(page.body)).toContain('サービスメニュー');
    expect(page.body).toContain('<a class="service-card__link" href="https://services.example.jp/iryohi" target="_blank" rel="noopener noreferrer">');
    expect(page.body).toContain('医療費の明細を確認できます');
    expect(page.body).toContain('<a class="service-card__link" href="/kenshin">');
    expect(page.body).not.toContain('javascript:');
    expect(page.body).not.toContain('悪いリンク');
    expect(page.body).toMatch(/<nav class="main-nav" aria-label="メインメニュー">\s*<a href="\/profile">プロフィール変更<\/a>\s*<a href="\/login-methods">ログイン方法変更<\/a>/);
    expect(page.body).toMatch(/<a class="account__name" href="\/logout"[^>]*>[\s\S]*?<span>山田 太郎<\/span>/);
    const menu = /<nav class="menu__panel"[\s\S]*?<\/nav>/.exec(page.body)![0];
    for (const item of ['プロフィール変更', 'ログイン方法変更', 'よくある質問', 'ログアウト']) expect(menu).toContain(`>${item}</a>`);
  });

  it('lists the fifteen FAQ questions of the manual, answers Q15, and takes a society override', async () => {
    const page = await p.browser().get('/faq');
    expect(page.status).toBe(200);
    const questions = [...page.body.matchAll(/<summary class="faq__q"><span class="faq__mark">Q(\d+)<\/span><span>([^<]+)<\/span>/g)];
    expect(questions.map((q) => q[1])).toEqual(Array.from({ length: 15 }, (_, i) => String(i + 1)));
    expect(questions[0]![2]).toBe('ユーザIDがわからない');
    expect(questions[4]![2]).toBe('パスワードがロックされました');
    expect(questions[7]![2]).toBe('「無効なユーザIDまたはパスワードです。」と表示されログインできません。');
    // The manual's product name is the portal's own title here (issue 12: the name appears nowhere else).
    expect(questions[14]![2]).toBe(`${TITLE}は、スマートデバイス以外にパソコン利用も可能でしょうか`);
    const text = textOf(page.body);
    expect(text).toContain('利用可能です。パソコン、スマートフォン端末(iPhone、Android)、タブレット端末でご利用いただけます。');
    expect(text).toContain('ご加入の健保組合までお問い合わせください。');
    expect(text).toContain('最小文字数 8 文字');
    await p.setSetting('faq', JSON.stringify([{ q: '独自の質問', a: '独自の回答です。' }]));
    const custom = await p.browser().get('/faq');
    expect(textOf(custom.body)).toContain('独自の回答です。');
    expect(custom.body).not.toContain('ユーザIDがわからない');
  });

  it('shows the profile: name read-only, user ID change with 変更 and ポータルに戻る, email shown', async () => {
    const { b, userId } = await activeMemberSession(p);
    const page = await b.get('/profile');
    expect(page.status).toBe(200);
    const text = textOf(page.body);
    expect(text).toContain('ユーザー名 山田 太郎');
    expect(text).toContain(`${userId}@example.jp`);
    expect(page.body).not.toMatch(/<input[^>]*value="山田 太郎"/);
    expect(page.body).toContain(`value="${userId}"`);
    expect(page.body).toMatch(/<button[^>]*>変更<\/button>/);
    expect(page.body).toMatch(/<a class="button button--secondary button--block" href="\/">ポータルに戻る<\/a>/);

    const cases: [string, number, string][] = [
      ['', 400, 'ユーザIDを入力してください。'],
      ['short', 400, 'ユーザIDは8文字以上、13文字以内で入力してください。'],
      ['much.too.long.id', 400, 'ユーザIDは8文字以上、13文字以内で入力してください。'],
      ['bad id!!', 400, 'ユーザIDに利用できない文字が含まれています。'],
      [userId.toUpperCase(), 400, '現在のユーザIDとは異なるユーザIDを入力してください。'],
    ];
    for (const [value, status, message] of cases) {
      const r = await b.post('/profile/user-id', { userId: value });
      expect(r.status, value).toBe(status);
      expect(textOf(r.body), value).toContain(message);
    }
    const other = await p.issue({ name: '佐藤 花子', kana: 'サトウ ハナコ', email: 'hanako@example.jp' });
    const taken = await b.post('/profile/user-id', { userId: other.userId.toUpperCase() });
    expect(taken.status).toBe(409);
    expect(textOf(taken.body)).toContain('このユーザIDは既に使用されています。別のユーザIDを入力してください。');
    const ok = await b.post('/profile/user-id', { userId: 'New.Name-01' });
    expect(pathOf(ok)).toBe('/profile');
    expect(textOf(ok.body)).toContain('ユーザIDを変更しました。');
    expect(ok.body).toContain('value="new.name-01"');
    expect((await showMember(p.core, p.society.id, 'new.name-01')).name).toBe('山田 太郎');
    // The flash shows once.
    expect(textOf((await b.get('/profile')).body)).not.toContain('ユーザIDを変更しました。');
  });

  it('keeps member pages for fully logged-in sessions only', async () => {
    const b = p.browser();
    for (const path of ['/profile', '/login-methods', '/logout']) expect(pathOf(await b.get(path)), path).toBe('/login');
    expect(pathOf(await b.get('/login/birth-date'))).toBe('/login');
  });

  it('answers /healthz without reading or creating a session', async () => {
    const r = await fetch(`${p.url}/healthz`, { headers: { cookie: 'kosmo_session=' + 'a'.repeat(43) } });
    expect(r.status).toBe(200);
    expect(await r.json()).toEqual({ status: 'ok' });
    expect(r.headers.getSetCookie()).toEqual([]);
    expect(await p.core.db.em().count(Session, {})).toBe(0);
  });

  it('shows a 404 page for unknown paths', async () => {
    for (const path of ['/no-such-page', '/password/forgotten', '/user-id/forgot/x']) {
      const page = await p.browser().get(path);
      expect(page.status, path).toBe(404);
      expect(textOf(page.body)).toContain('ページが見つかりません。');
    }
  });

  it('serves its own stylesheet and icons with caching and nothing else from disk', async () => {
    const css = await fetch(`${p.url}/assets/portal.css`);
    expect(css.status).toBe(200);
    expect(css.headers.get('cache-control')).toBe('public, max-age=3600');
    const etag = css.headers.get('etag')!;
    expect((await fetch(`${p.url}/assets/portal.css`, { headers: { 'if-none-match': etag } })).status).toBe(304);
    expect((await fetch(`${p.url}/assets/logo.svg`)).headers.get('content-type')).toBe('image/svg+xml');
    expect((await fetch(`${p.url}/assets/../layout.njk`)).status).toBe(404);
    expect((await fetch(`${p.url}/assets/%2e%2e/layout.njk`)).status).toBe(404);
  });
});
