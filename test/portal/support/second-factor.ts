import { expect } from 'vitest';
import { totpCodeAt } from '../../../src/core/credentials/totp/index.js';
import { Session } from '../../../src/core/db/entities/index.js';
import type { Browser, Page } from './browser.js';
import { login, NEW_PASSWORD, pathOf } from './flows.js';
import type { TestPortal } from './portal.js';

/** The key shown under `スキャンできませんか?` (grouped as for reading). */
export function keyOf(html: string): string {
  const key = /<code id="otp-key">([^<]+)<\/code>/.exec(html)?.[1];
  if (!key) throw new Error('no OTP key on the page');
  return key;
}

/** The code an authenticator app shows for `secret` at the portal's clock, `offset` seconds away. */
export function codeAt(p: TestPortal, secret: string, offsetSeconds = 0): string {
  return totpCodeAt(secret, new Date(p.clock.now().getTime() + offsetSeconds * 1000));
}

/** Walks a freshly issued member's first login up to the second-factor set-up (/setup/factor). */
export async function toFactorSetup(p: TestPortal, b: Browser, issued: { userId: string; password: string }, opts: { userId?: string; method?: 'otp' | 'passkey'; email?: string } = {}) {
  const userId = opts.userId ?? `m${issued.userId.slice(1)}x`.slice(0, 12);
  await login(b, issued.userId, issued.password);
  await b.post('/login/birth-date', { birthDate: '19790822' });
  const version = /name="version" value="(\d+)"/.exec(b.lastPage!.body)![1]!;
  await b.post('/login/terms', { version });
  await b.post('/login/user-id', { userId, method: opts.method ?? 'otp', platform: opts.method === 'passkey' ? '1' : '0' });
  await b.post('/login/password', { password: NEW_PASSWORD, passwordConfirm: NEW_PASSWORD });
  const page = await b.post('/login/email', { email: opts.email ?? `${userId}@example.jp` });
  expect(pathOf(page)).toBe('/setup/factor');
  return { userId, password: NEW_PASSWORD, page };
}

/**
 * A member's whole first login with the real OTP set-up: reads the key from the page, answers with
 * the code of the moment and ends on the top page. Returns the member's ID, password and seed.
 */
export async function firstLoginWithOtp(p: TestPortal, b: Browser, issued: { userId: string; password: string }, opts: { userId?: string; deviceName?: string } = {}) {
  const own = await toFactorSetup(p, b, issued, opts);
  const secret = keyOf(own.page.body);
  const page = await b.post('/setup/factor', { code: codeAt(p, secret), deviceName: opts.deviceName ?? 'iPhone', logoutSessions: '1' });
  expect(pathOf(page)).toBe('/');
  return { userId: own.userId, password: own.password, secret, page };
}

/** An active member with one authenticator-app device, logged out; the clock moved to the next step. */
export async function activeOtpMember(p: TestPortal, overrides: Parameters<TestPortal['issue']>[0] = {}, deviceName = 'iPhone') {
  const issued = await p.issue(overrides);
  const own = await firstLoginWithOtp(p, p.browser(), issued, { deviceName });
  p.clock.advanceSeconds(30);
  return { ...own, memberId: issued.memberId };
}

/** Logs in with the password and the current code (device `deviceId` if given): ends on the top page. */
export async function loginWithOtp(p: TestPortal, b: Browser, m: { userId: string; password: string; secret: string }, deviceId?: string): Promise<Page> {
  const first = await login(b, m.userId, m.password);
  expect(pathOf(first)).toBe('/login/second-factor');
  const page = await b.post('/login/second-factor', { code: codeAt(p, m.secret), ...(deviceId ? { deviceId } : {}) });
  expect(pathOf(page)).toBe('/');
  return page;
}

/** Device ids offered by the OTP page, in order, with their names. */
export function devicesOf(html: string): { id: string; name: string }[] {
  return [...html.matchAll(/<input type="radio" id="device-(\d+)" name="deviceId" value="\d+"[^>]*>\s*<label for="device-\d+"><span class="choice__title">([^<]*)<\/span>/g)].map((m) => ({
    id: m[1]!,
    name: m[2]!,
  }));
}

/** Changes a session's stored state directly (to stage what another issue's pages would do). */
export async function patchSessionState(p: TestPortal, memberId: number, patch: (state: Record<string, unknown>) => Record<string, unknown>): Promise<void> {
  const em = p.core.db.em();
  const rows = await em.find(Session, { member: memberId });
  for (const row of rows) await em.nativeUpdate(Session, { id: row.id }, { state: patch({ ...(row.state as Record<string, unknown>) }) as never });
}

/** The message of the error alert above a form (the first one). */
export function errorsOf(html: string): string[] {
  const block = /<div class="alert alert--error" role="alert" id="form-errors">([\s\S]*?)<\/div>/.exec(html)?.[1] ?? '';
  return [...block.matchAll(/<li>([\s\S]*?)<\/li>/g)].map((m) => m[1]!.trim());
}
