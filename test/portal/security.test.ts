import { describe, it, expect, beforeEach, afterEach } from 'vitest';
import { testDatabases } from '../support/databases.js';
import { startTestPortal, type TestPortal } from './support/portal.js';
import { Browser, csrfTokenOf, rawGet, textOf } from './support/browser.js';
import { activeMemberSession, login, NEW_PASSWORD, pathOf } from './support/flows.js';
import { showMember } from '../../src/core/accounts/member-detail.js';

const CSRF_MESSAGE = '画面の有効期限が切れました。もう一度操作してください。';

/** Hostile values for every field (issue 3 "done when"). */
const BAD_VALUES: [string, string][] = [
  ['empty', ''],
  ['10 000 characters', 'a'.repeat(10_000)],
  ['10 000 emoji', '😀'.repeat(10_000)],
  ['control characters', 'ab\u0000c\u0007d\u001b[31m\r\n\u0085e'],
  ['emoji', '😀👍🏻👨‍👩‍👧'],
  ['full-width', 'ＡＢＣ　１２３＠ｅｘａｍｐｌｅ'],
  ['markup', '"><script>alert(1)</script>'],
  ['lone surrogate', 'abc\ud800def'],
];

describe.each(testDatabases)('portal security on $name', (database) => {
  let p: TestPortal;
  beforeEach(async () => {
    p = await startTestPortal(database);
  });
  afterEach(async () => p.stop());

  it('refuses a form without the CSRF token, or with a wrong one, and changes nothing', async () => {
    const issued = await p.issue();
    const b = p.browser();
    await b.get('/login');
    for (const csrf of [null, '', 'x'.repeat(43), csrfTokenOf(b.lastPage!.body)!.slice(1)]) {
      const page = await b.post('/login', { userId: issued.userId, password: issued.password }, { csrf });
      expect(page.status, String(csrf)).toBe(403);
      expect(textOf(page.body)).toContain(CSRF_MESSAGE);
    }
    expect(pathOf(await b.get('/login/birth-date'))).toBe('/login');
    // A token from another browser's session does not work either.
    const other = p.browser();
    await other.get('/login');
    const foreign = await b.post('/login', { userId: issued.userId, password: issued.password }, { csrf: csrfTokenOf(other.lastPage!.body) });
    expect(foreign.status).toBe(403);
    await b.get('/login');
    expect(pathOf(await b.post('/login', { userId: issued.userId, password: issued.password }))).toBe('/login/birth-date');
  });

  it('refuses cross-origin posts even with a valid token (Origin, then Sec-Fetch-Site)', async () => {
    const { b, userId } = await activeMemberSession(p);
    const csrf = csrfTokenOf((await b.get('/profile')).body)!;
    for (const opts of [
      { origin: 'https://evil.example' },
      { origin: 'null', secFetchSite: 'cross-site' },
      { origin: 'null', secFetchSite: null },
      { origin: p.url.replace('127.0.0.1', 'localhost') },
      { origin: null, secFetchSite: 'cross-site' },
      { origin: null, secFetchSite: 'same-site' },
    ]) {
      const page = await b.post('/profile/user-id', { userId: 'changed.id1' }, { ...opts, csrf });
      expect(page.status, JSON.stringify(opts)).toBe(403);
    }
    expect((await showMember(p.core, p.society.id, userId)).userId).toBe(userId);
    await b.get('/profile');
    // A same-origin post (or one from a client that sends neither header) with the token works.
    const ok = await b.post('/profile/user-id', { userId: 'changed.id1' }, { origin: null, secFetchSite: null });
    expect(pathOf(ok)).toBe('/profile');
    expect(textOf(ok.body)).toContain('ユーザIDを変更しました。');
    // `Origin: null` (a same-origin form on a no-referrer page) passes only with Sec-Fetch-Site same-origin.
    const nullOrigin = await b.post('/profile/user-id', { userId: 'changed.id2' }, { origin: 'null', secFetchSite: 'same-origin' });
    expect(pathOf(nullOrigin)).toBe('/profile');
  });

  it('sends the security headers of DESIGN.md §4 with a fresh CSP nonce per response', async () => {
    const b = p.browser();
    const a = await b.get('/login');
    const c = await b.get('/login');
    for (const page of [a, c]) {
      const csp = page.headers.get('content-security-policy')!;
      expect(csp).toMatch(/default-src 'none'/);
      expect(csp).toMatch(/script-src 'nonce-[A-Za-z0-9+/=]{24}'(;|$)/);
      expect(csp).toContain("frame-ancestors 'none'");
      expect(csp).toContain("form-action 'self'");
      expect(csp).toContain("base-uri 'none'");
      expect(csp).not.toContain('unsafe-inline');
      expect(page.headers.get('x-content-type-options')).toBe('nosniff');
      expect(page.headers.get('referrer-policy')).toBe('same-origin');
      expect(page.headers.get('x-frame-options')).toBe('DENY');
      expect(page.headers.get('cache-control')).toBe('no-store');
      expect(page.headers.get('strict-transport-security')).toBeNull();
    }
    const nonceOf = (h: Headers) => /nonce-([^']+)/.exec(h.get('content-security-policy')!)![1];
    expect(nonceOf(a.headers)).not.toBe(nonceOf(c.headers));
    const { b: member } = await activeMemberSession(p);
    for (const path of ['/', '/profile', '/faq', '/logout']) {
      const page = await member.get(path);
      expect(page.headers.get('cache-control'), path).toBe('no-store');
      expect(page.headers.get('content-security-policy'), path).toContain("frame-ancestors 'none'");
    }
    const css = await fetch(`${p.url}/assets/portal.css`);
    expect(css.headers.get('content-type')).toBe('text/css; charset=utf-8');
    expect(css.headers.get('x-content-type-options')).toBe('nosniff');
  });

  it('loads nothing from elsewhere and runs no script without the nonce', async () => {
    const issued = await p.issue();
    const b = p.browser();
    const pages = [await b.get('/'), await b.get('/faq'), await b.get('/user-id/characters'), await login(b, issued.userId, issued.password)];
    await b.post('/login/birth-date', { birthDate: '19790822' });
    pages.push(await b.post('/login/terms', { version: '1' }));
    for (const page of pages) {
      const nonce = /nonce-([^']+)/.exec(page.headers.get('content-security-policy')!)![1];
      for (const m of page.body.matchAll(/<script([^>]*)>/g)) expect(m[1]).toBe(` nonce="${nonce}"`);
      expect(page.body).not.toMatch(/\sstyle=/);
      expect(page.body).not.toMatch(/<(link|script|img)[^>]+(href|src)="(https?:)?\/\//);
      expect(page.body).not.toMatch(/\son[a-z]+=/);
    }
  });

  it('answers a too-large body with the 413 page and other content types with 415', async () => {
    const b = p.browser();
    await b.get('/login');
    const big = await b.post('/login', { userId: 'x', password: 'y'.repeat(300_000) });
    expect(big.status).toBe(413);
    expect(textOf(big.body)).toContain('送信されたデータが大きすぎます。');
    const json = await b.post('/login', {}, { rawBody: '{"userId":"a"}', contentType: 'application/json' });
    expect(json.status).toBe(415);
    const many = await b.post('/login', Object.fromEntries(Array.from({ length: 150 }, (_, i) => [`f${i}`, 'x'])));
    expect(many.status).toBe(400);
    const chunked = await fetch(`${p.url}/login`, {
      method: 'POST',
      headers: { 'content-type': 'application/x-www-form-urlencoded', cookie: b.cookieHeader(), origin: p.url },
      body: new ReadableStream({
        start(c) {
          for (let i = 0; i < 40; i++) c.enqueue(new TextEncoder().encode('a'.repeat(10_000)));
          c.close();
        },
      }),
      duplex: 'half',
    } as RequestInit);
    expect(chunked.status).toBe(413);
  });

  it('never answers 5xx to hostile input in any field of any form', async () => {
    const issued = await p.issue();
    const b = p.browser();
    const check = async (label: string, path: string, fields: Record<string, string>, csrf?: string) => {
      const page = await b.post(path, fields, csrf === undefined ? {} : { csrf });
      expect(page.status, `${label} → ${path}`).toBeLessThan(500);
      expect(page.body).not.toContain('<script>alert(1)</script>');
      return page;
    };
    const token = csrfTokenOf((await b.get('/login')).body)!;
    for (const [name, v] of BAD_VALUES) {
      expect((await check(`login userId ${name}`, '/login', { userId: v, password: 'Wrong-password-1' }, token)).status).toBe(401);
      expect((await check(`login password ${name}`, '/login', { userId: 'nosuchuser1', password: v }, token)).status).toBe(401);
      expect((await check(`login remember ${name}`, '/login', { userId: 'nosuchuser1', password: 'x', remember: v }, token)).status).toBe(401);
      expect((await check(`login _csrf ${name}`, '/login', { userId: 'nosuchuser1', password: 'x' }, v)).status).toBe(403);
    }
    await b.get('/login');
    await b.post('/login', { userId: issued.userId, password: issued.password });
    for (const [name, v] of BAD_VALUES) expect(pathOf(await check(`birthDate ${name}`, '/login/birth-date', { birthDate: v }))).toBe('/login/birth-date');
    await b.post('/login/birth-date', { birthDate: '19790822' });
    for (const [name, v] of BAD_VALUES) expect(pathOf(await check(`terms version ${name}`, '/login/terms', { version: v }))).toBe('/login/terms');
    await b.post('/login/terms', { version: '1' });
    for (const [name, v] of BAD_VALUES) {
      expect(pathOf(await check(`user-id userId ${name}`, '/login/user-id', { userId: v, method: 'otp' }))).toBe('/login/user-id');
      expect(pathOf(await check(`user-id method ${name}`, '/login/user-id', { userId: 'yamada.taro', method: v }))).toBe('/login/user-id');
      expect(pathOf(await check(`user-id platform ${name}`, '/login/user-id', { userId: '', method: 'passkey', platform: v }))).toBe('/login/user-id');
    }
    await b.post('/login/user-id', { userId: 'yamada.taro', method: 'otp' });
    for (const [name, v] of BAD_VALUES) {
      // The markup string is a fine password by the policy; make it one with a disallowed character.
      const pw = name === 'markup' ? `${v}あ` : v;
      expect(pathOf(await check(`password ${name}`, '/login/password', { password: pw, passwordConfirm: pw }))).toBe('/login/password');
      expect(pathOf(await check(`passwordConfirm ${name}`, '/login/password', { password: NEW_PASSWORD, passwordConfirm: v }))).toBe('/login/password');
    }
    await b.post('/login/password', { password: NEW_PASSWORD, passwordConfirm: NEW_PASSWORD });
    for (const [name, v] of BAD_VALUES) expect(pathOf(await check(`email ${name}`, '/login/email', { email: v }))).toBe('/login/email');

    const { b: member } = await activeMemberSession(p);
    await member.get('/profile');
    for (const [name, v] of BAD_VALUES) {
      const page = await member.post('/profile/user-id', { userId: v });
      expect(page.status, `profile userId ${name}`).toBeLessThan(500);
      expect(page.status, `profile userId ${name}`).toBeGreaterThanOrEqual(400);
    }
    // Malformed percent escapes and junk in the URL are not errors either.
    const raw = await member.post('/profile/user-id', {}, { rawBody: `_csrf=${csrfTokenOf(member.lastPage!.body)}&userId=%zz%E0%A4%A&%%%=1` });
    expect(raw.status).toBe(400);
    for (const path of ['/login/%ff%fe', '/%E0%A4%A', '/profile?x=%zz', '/assets/../../package.json', '/login/birth-date/../../profile']) {
      expect((await member.get(path)).status, path).toBeLessThan(500);
    }
  });

  it('shows a generic 500 page with a request id; the details go to the log only', async () => {
    const b = p.browser();
    const real = p.core.clock.now.bind(p.core.clock);
    p.core.clock.now = () => {
      throw new Error('boom: secret detail');
    };
    let page;
    try {
      await b.get('/faq');
      page = await b.post('/login', { userId: 'someone1', password: 'x' }, { csrf: 'x' });
      page = await new Browser(p.url).request('GET', '/login');
    } finally {
      p.core.clock.now = real;
    }
    expect(page.status).toBe(500);
    const id = page.headers.get('x-request-id')!;
    expect(id).toMatch(/^[0-9a-f]{16}$/);
    expect(textOf(page.body)).toContain(id);
    expect(textOf(page.body)).toContain('システムエラーが発生しました。');
    expect(page.body).not.toContain('boom');
    expect(page.body).not.toMatch(/at \w+ \(/);
    const logged = p.logs.map((l) => JSON.parse(l)).find((e) => e.requestId === id && e.msg === 'unexpected error');
    expect(logged.message).toContain('boom');
  });

  it('never logs a password, session token, CSRF token or cookie', async () => {
    const issued = await p.issue();
    const b = p.browser();
    await login(b, issued.userId, issued.password);
    await b.post('/login/birth-date', { birthDate: '19790822' });
    const token = b.jar.get('kosmo_session')!;
    const csrf = csrfTokenOf(b.lastPage!.body)!;
    await b.post('/login', { userId: issued.userId, password: 'Wrong-Secret-Value-1' });
    const all = p.logs.join('\n');
    expect(all.length).toBeGreaterThan(0);
    for (const secret of [issued.password, 'Wrong-Secret-Value-1', token, csrf, '19790822']) expect(all).not.toContain(secret);
  });

  it('refuses requests for an unknown host when several societies share the server', async () => {
    const { createSociety } = await import('../../src/core/society/create-society.js');
    const { STAFF } = await import('../support/core.js');
    await createSociety(p.core, STAFF, { code: 'other', name: '別健保', settings: { hostNames: ['other.example'] } as never });
    await p.setSetting('hostNames', 'portal.sckenpo.example');
    const unknown = await rawGet(p.url, '/login');
    expect(unknown.status).toBe(404);
    expect(unknown.headers['set-cookie']).toBeUndefined();
    expect(unknown.body).toContain('ページが見つかりません。');
    const other = await rawGet(p.url, '/', { host: 'other.example' });
    expect(other.body).toContain('別健保加入者ページ');
    const mine = await rawGet(p.url, '/', { host: 'PORTAL.sckenpo.example:8443' });
    expect(mine.body).toContain('大和総研健保加入者ページ');
  });
});
