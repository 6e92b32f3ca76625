import { request as httpRequest } from 'node:http';
import { expect } from 'vitest';
import { activeMemberWithTotp } from '../../support/members.js';
import { acceptTerms } from '../../../src/core/terms/accept-terms.js';
import { currentTerms } from '../../../src/core/terms/current-terms.js';
import { Member, MailMessage } from '../../../src/core/db/entities/index.js';
import type { TestCore } from '../../support/core.js';
import type { Browser, Page } from './browser.js';

/** An active member with an authenticator app and an address who accepted the current terms. */
export async function activeMember(t: TestCore, deviceName = 'iPhone') {
  const m = await activeMemberWithTotp(t, deviceName);
  const em = t.core.db.em().fork();
  const row = await em.findOneOrFail(Member, { id: m.memberId });
  const terms = await currentTerms(em, t.society.id);
  if (terms) await acceptTerms(t.core, { societyId: t.society.id, memberId: m.memberId, ip: null }, terms.version);
  return { ...m, userId: row.userId, email: row.email! };
}

/** Mails queued (not yet sent: bodies still there) of one kind, oldest first. */
export async function queuedMails(t: TestCore, kind?: string) {
  const rows = await t.core.db
    .em()
    .fork()
    .find(MailMessage, kind ? { kind } : {}, { orderBy: { id: 'asc' } });
  return rows.map((r) => ({ kind: r.kind, to: r.toAddress, subject: r.subject, text: r.bodyText, status: r.status }));
}

export function resetTokenIn(text: string): string {
  const m = /\/password\/reset\/([A-Za-z0-9_-]{43})/.exec(text);
  if (!m) throw new Error(`no reset link in:\n${text}`);
  return m[1]!;
}

export async function lastResetToken(t: TestCore): Promise<string> {
  const mails = await queuedMails(t, 'password-reset');
  return resetTokenIn(mails.at(-1)?.text ?? '');
}

/** A page without what differs per response anyway: the CSRF token and the CSP nonce. */
export function normalized(html: string): string {
  return html.replace(/name="_csrf" value="[^"]*"/g, 'name="_csrf" value=""').replace(/nonce="[^"]*"/g, 'nonce=""');
}

/** What a browser saw of a form post: every hop's status and target, and the final page. */
export function answerOf(page: Page) {
  return { hops: page.hops.map((h) => [h.status, h.location]), status: page.status, type: page.headers.get('content-type'), body: normalized(page.body) };
}

/** Opens a reset link the way a member does: the GET page, then `続ける`. */
export async function followResetLink(b: Browser, token: string): Promise<Page> {
  const landing = await b.get(`/password/reset/${token}`);
  expect(landing.status).toBe(200);
  return b.post('/password/reset', { token });
}

/** A request through node:http with any Host header (fetch will not send one of our choosing). */
export function rawRequest(
  base: string,
  method: string,
  path: string,
  headers: Record<string, string>,
  body?: string,
): Promise<{ status: number; body: string; headers: Record<string, string | string[] | undefined> }> {
  return new Promise((resolve, reject) => {
    const u = new URL(path, base);
    const req = httpRequest({ host: u.hostname, port: u.port, path: u.pathname, method, headers: { ...headers, ...(body ? { 'content-length': String(Buffer.byteLength(body)) } : {}) } }, (res) => {
      const chunks: Buffer[] = [];
      res.on('data', (c: Buffer) => chunks.push(c));
      res.on('end', () => resolve({ status: res.statusCode ?? 0, body: Buffer.concat(chunks).toString('utf8'), headers: res.headers }));
    });
    req.on('error', reject);
    req.end(body);
  });
}
