import { expect } from 'vitest';
import type { Browser, Page } from './browser.js';
import { freshOtpCode, type TestPortal } from './portal.js';
import { totpCodeAt } from '../../../src/core/credentials/totp/index.js';

export const NEW_PASSWORD = 'Kosmo-Portal-2026!';

/** Logs in with the password and expects to land on `expectPath`. */
export async function login(b: Browser, userId: string, password: string, extra: Record<string, string> = {}): Promise<Page> {
  await b.get('/login');
  return b.post('/login', { userId, password, ...extra });
}

/**
 * Walks the whole first login of a freshly issued member, with the real authenticator-app set-up
 * (the key read off the page), and returns the member's own user ID and password, ending on the
 * top page.
 */
export async function firstLogin(p: TestPortal, b: Browser, issued: { userId: string; password: string }, own: { userId?: string; password?: string; remember?: boolean; email?: string } = {}) {
  const userId = own.userId ?? `m${issued.userId.slice(1)}x`.slice(0, 12);
  const password = own.password ?? NEW_PASSWORD;
  let page = await login(b, issued.userId, issued.password, own.remember ? { remember: '1' } : {});
  expect(new URL(page.url).pathname).toBe('/login/birth-date');
  page = await b.post('/login/birth-date', { birthDate: '19790822' });
  expect(new URL(page.url).pathname).toBe('/login/terms');
  const version = /name="version" value="(\d+)"/.exec(page.body)![1]!;
  page = await b.post('/login/terms', { version });
  expect(new URL(page.url).pathname).toBe('/login/user-id');
  page = await b.post('/login/user-id', { userId, method: 'otp', platform: '0' });
  expect(new URL(page.url).pathname).toBe('/login/password');
  page = await b.post('/login/password', { password, passwordConfirm: password });
  expect(new URL(page.url).pathname).toBe('/login/email');
  page = await b.post('/login/email', { email: own.email ?? `${userId}@example.jp` });
  expect(new URL(page.url).pathname).toBe('/setup/factor');
  const secret = /<code id="otp-key">([^<]+)<\/code>/.exec(page.body)![1]!;
  page = await b.post('/setup/factor', { code: totpCodeAt(secret, p.clock.now()), deviceName: 'iPhone' });
  expect(new URL(page.url).pathname).toBe('/');
  expect(page.status).toBe(200);
  return { userId, password, page };
}

/** A member who finished the first login, logged in again in a new browser up to the top page. */
export async function activeMemberSession(p: TestPortal): Promise<{ b: Browser; userId: string; password: string; memberId: number }> {
  const issued = await p.issue();
  const first = p.browser();
  const own = await firstLogin(p, first, issued);
  const b = p.browser();
  let page = await login(b, own.userId, own.password);
  expect(new URL(page.url).pathname).toBe('/login/second-factor');
  page = await b.post('/login/second-factor', { code: await freshOtpCode(p, own.userId) });
  expect(new URL(page.url).pathname).toBe('/');
  return { b, userId: own.userId, password: own.password, memberId: issued.memberId };
}

export function pathOf(page: Page): string {
  return new URL(page.url).pathname;
}
