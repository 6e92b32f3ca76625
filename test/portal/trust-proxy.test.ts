import { describe, it, expect } from 'vitest';
import { testDatabases } from '../support/databases.js';
import { startTestPortal, type TestPortal } from './support/portal.js';
import { activeMember, queuedMails } from './support/recovery.js';
import { REQUESTS_PER_CLIENT } from '../../src/core/recovery/recovery-limits.js';
import { AuditEvent } from '../../src/core/db/entities/index.js';
import type { StartOptions } from '../../src/portal/server.js';

/**
 * `--trust-proxy` behind a reverse proxy that appends to X-Forwarded-For (docs/portal.md "Behind a
 * reverse proxy"): the client may send any X-Forwarded-* of its own, and the proxy only appends,
 * so only the entries the trusted proxies added count — from the right, never the leftmost.
 */
describe.each(testDatabases)('--trust-proxy on $name', (database) => {
  async function withPortal(trustProxy: StartOptions['trustProxy'], fn: (p: TestPortal) => Promise<void>) {
    const p = await startTestPortal(database, { trustProxy });
    try {
      await fn(p);
    } finally {
      await p.stop();
    }
  }

  /** One forgot-password request as it arrives through the proxy, with its X-Forwarded-* headers. */
  async function forgot(p: TestPortal, userId: string, headers: Record<string, string>, origin?: string) {
    const b = p.browser(origin);
    await b.request('GET', '/password/forgot', { headers });
    return b.post('/password/forgot', { userId }, { headers, follow: false });
  }

  async function requestIps(p: TestPortal): Promise<(string | null)[]> {
    const rows = await p.core.db
      .em()
      .fork()
      .find(AuditEvent, { action: 'recovery.password_request' }, { orderBy: { id: 'asc' } });
    return rows.map((r) => r.ip ?? null);
  }

  it('one proxy: 14 forgot-password requests with a different forged leftmost X-Forwarded-For each are limited like one address (429), and the audit log has the address the proxy appended', async () => {
    await withPortal(true, async (p) => {
      const statuses: number[] = [];
      for (let i = 0; i < 14; i++) {
        const page = await forgot(p, `nosuch${i}member`, { 'x-forwarded-for': `198.51.100.${i + 1}, 203.0.113.9` });
        statuses.push(page.status);
      }
      expect(statuses).toEqual([...Array(REQUESTS_PER_CLIENT).fill(303), ...Array(14 - REQUESTS_PER_CLIENT).fill(429)]);
      const ips = await requestIps(p);
      expect(ips).toHaveLength(REQUESTS_PER_CLIENT);
      expect(new Set(ips)).toEqual(new Set(['203.0.113.9']));
    });
  });

  it('`--trust-proxy 2`: the client is the second entry from the right (the address the outer proxy appended)', async () => {
    await withPortal(2, async (p) => {
      for (let i = 0; i < 3; i++) await forgot(p, `nosuch${i}member`, { 'x-forwarded-for': `198.51.100.${i + 1}, 203.0.113.20, 10.0.0.2` });
      // A request that did not come through both proxies: the leftmost entry there is, never made up.
      await forgot(p, 'nosuchmember9', { 'x-forwarded-for': '203.0.113.21' });
      expect(await requestIps(p)).toEqual(['203.0.113.20', '203.0.113.20', '203.0.113.20', '203.0.113.21']);
    });
  });

  it('a list of trusted proxies: the rightmost address that is not one of them, walking left from the socket', async () => {
    await withPortal('127.0.0.1, 10.0.0.0/8', async (p) => {
      await forgot(p, 'nosuchmember1', { 'x-forwarded-for': '198.51.100.1, 203.0.113.30, 10.1.2.3' });
      await forgot(p, 'nosuchmember2', { 'x-forwarded-for': '10.9.9.9, 10.1.2.3' });
      await forgot(p, 'nosuchmember3', {});
      expect(await requestIps(p)).toEqual(['203.0.113.30', '10.9.9.9', '127.0.0.1']);
    });
  });

  it('a list the socket address is not on: X-Forwarded-* are ignored entirely', async () => {
    await withPortal(['10.0.0.1'], async (p) => {
      const r = await fetch(`${p.url}/login`, { headers: { 'x-forwarded-proto': 'https', 'x-forwarded-for': '203.0.113.40' } });
      expect(r.headers.getSetCookie()[0]).toMatch(/^kosmo_session=[^;]+; Path=\/; HttpOnly; SameSite=Lax$/);
      await forgot(p, 'nosuchmember1', { 'x-forwarded-for': '203.0.113.40' });
      expect(await requestIps(p)).toEqual(['127.0.0.1']);
    });
  });

  it('X-Forwarded-Proto follows the same rule: the value the trusted proxy appended, not one the client put ahead of it', async () => {
    await withPortal(true, async (p) => {
      const forged = await fetch(`${p.url}/login`, { headers: { 'x-forwarded-proto': 'https, http' } });
      expect(forged.headers.getSetCookie()[0]).toMatch(/^kosmo_session=[^;]+; Path=\/; HttpOnly; SameSite=Lax$/);
      expect(forged.headers.get('strict-transport-security')).toBeNull();
      const real = await fetch(`${p.url}/login`, { headers: { 'x-forwarded-proto': 'http, https' } });
      expect(real.headers.getSetCookie()[0]).toMatch(/^__Host-kosmo_session=.*; Secure$/);
      // A proxy that sets (not appends) the header: its one value counts.
      const set = await fetch(`${p.url}/login`, { headers: { 'x-forwarded-proto': 'https' } });
      expect(set.headers.getSetCookie()[0]).toMatch(/^__Host-kosmo_session=.*; Secure$/);
    });
    await withPortal(2, async (p) => {
      // Two proxies: the outer one saw https and the inner one appended the http it was reached by.
      const two = await fetch(`${p.url}/login`, { headers: { 'x-forwarded-proto': 'http, https, http' } });
      expect(two.headers.getSetCookie()[0]).toMatch(/^__Host-kosmo_session=.*; Secure$/);
    });
  });

  it('X-Forwarded-Host follows the same rule: a forged leftmost host never picks where a reset link points', async () => {
    await withPortal(true, async (p) => {
      await p.setSetting('hostNames', 'portal.sckenpo.example');
      const m = await activeMember(p);
      const origin = 'http://portal.sckenpo.example';
      const real = await forgot(p, m.userId, { 'x-forwarded-host': 'evil.example, portal.sckenpo.example' }, origin);
      expect(real.status).toBe(303);
      const mails = await queuedMails(p, 'password-reset');
      expect(mails).toHaveLength(1);
      expect(mails[0]!.text).toContain('http://portal.sckenpo.example/password/reset/');
      // The proxy appended a host the society does not know: no link is mailed (the client's
      // trusted-looking entry ahead of it does not count).
      await forgot(p, m.userId, { 'x-forwarded-host': 'portal.sckenpo.example, evil.example' }, 'http://evil.example');
      expect(await queuedMails(p, 'password-reset')).toHaveLength(1);
      expect(p.logs.join('\n')).toContain('no trusted public URL');
    });
  });

  it('without --trust-proxy every X-Forwarded-* header is ignored', async () => {
    await withPortal(false, async (p) => {
      await forgot(p, 'nosuchmember1', { 'x-forwarded-for': '203.0.113.50', 'x-forwarded-host': 'evil.example' });
      expect(await requestIps(p)).toEqual(['127.0.0.1']);
    });
  });
});
