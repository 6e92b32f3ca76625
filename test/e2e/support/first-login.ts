import type { Page } from 'playwright-core';
import { expect } from 'vitest';

export const pathOf = (page: Page) => new URL(page.url()).pathname;

export async function submit(page: Page, selector = 'button[type=submit]'): Promise<void> {
  await Promise.all([page.waitForNavigation(), page.click(selector)]);
}

/** The provisional member's first login, from the password to the second-factor set-up (SCREENS.md §2.3). */
export async function firstLoginSteps(page: Page, issued: { userId: string; password: string }, password: string, own: { userId: string; method: 'otp' | 'passkey' }): Promise<void> {
  expect(pathOf(page)).toBe('/login');
  await page.fill('#userId', issued.userId);
  await page.fill('#password', issued.password);
  await submit(page);
  expect(pathOf(page)).toBe('/login/birth-date');
  await page.fill('#birthDate', '19790822');
  await submit(page);
  expect(pathOf(page)).toBe('/login/terms');
  await submit(page);
  expect(pathOf(page)).toBe('/login/user-id');
  if (own.method === 'passkey') await page.waitForSelector('#method-passkey:not([disabled])');
  await page.fill('#userId', own.userId);
  await page.check(`#method-${own.method}`);
  await submit(page);
  await page.fill('#password', password);
  await page.fill('#passwordConfirm', password);
  await submit(page);
  expect(pathOf(page)).toBe('/login/email');
  await submit(page);
  expect(pathOf(page)).toBe('/setup/factor');
}
