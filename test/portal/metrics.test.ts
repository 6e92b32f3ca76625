import { describe, it, expect, beforeAll, afterEach } from 'vitest';
import { spawn, type ChildProcess } from 'node:child_process';
import { readFileSync, existsSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { testDatabases } from '../support/databases.js';
import { createTestCore } from '../support/core.js';
import { BIN, ROOT, ensureBuilt, run, tempDataDir } from '../support/cli.js';
import { startTestPortal, type TestPortal } from './support/portal.js';
import { recordAudit } from '../../src/core/audit/record-audit.js';
import { createPortalMetrics } from '../../src/portal/metrics/portal-metrics.js';
import { silentLogger } from '../../src/portal/logger.js';

interface Sample {
  name: string;
  labels: Record<string, string>;
  value: number;
}

/** The samples of a Prometheus text exposition (no escaped quotes in our label values). */
function parse(text: string): Sample[] {
  const samples: Sample[] = [];
  for (const line of text.split('\n')) {
    if (!line || line.startsWith('#')) continue;
    const m = /^([a-zA-Z_:][a-zA-Z0-9_:]*)(?:\{(.*)\})? (\S+)$/.exec(line);
    if (!m) throw new Error(`not a sample line: ${line}`);
    const labels: Record<string, string> = {};
    for (const l of (m[2] ?? '').matchAll(/(\w+)="([^"]*)"/g)) labels[l[1]!] = l[2]!;
    samples.push({ name: m[1]!, labels, value: Number(m[3]) });
  }
  return samples;
}

/** The value of the one sample with exactly these labels (0 when absent). */
function value(samples: Sample[], name: string, labels: Record<string, string> = {}): number {
  const found = samples.filter((s) => s.name === name && Object.keys(s.labels).length === Object.keys(labels).length && Object.entries(labels).every(([k, v]) => s.labels[k] === v));
  expect(found.length, `${name} ${JSON.stringify(labels)}`).toBeLessThanOrEqual(1);
  return found[0]?.value ?? 0;
}

async function scrape(url: string): Promise<{ text: string; samples: Sample[] }> {
  const res = await fetch(url);
  expect(res.status).toBe(200);
  expect(res.headers.get('content-type')).toContain('text/plain');
  const text = await res.text();
  return { text, samples: parse(text) };
}

/** The labels a kosmo_* series may carry, and their values: a fixed set each, or a route pattern. */
const KOSMO_LABELS: Record<string, RegExp> = {
  step: /^(password|birth_date|otp|passkey|reauth_password|reauth_otp|reauth_passkey)$/,
  outcome: /^(success|failure)$/,
  factor: /^(otp|passkey)$/,
  purpose: /^(login|reauth)$/,
  result: /^(retry|given_up)$/,
  status: /^(pending|failed)$/,
  route: /^(unmatched|\/healthz|\/assets\/\*|(\/(:?[a-z][a-z-]*)?)+)$/,
  method: /^(GET|HEAD|POST|PUT|PATCH|DELETE|OPTIONS|other)$/,
  status_class: /^[1-5]xx$/,
  le: /^(\d+(\.\d+)?|\+Inf)$/,
};

describe.each(testDatabases)('metrics on $name', (database) => {
  let p: TestPortal | null = null;
  afterEach(async () => {
    await p?.stop();
    p = null;
  });

  it('counts a failed and a successful password login exactly, times requests by route pattern, and never shows who', async () => {
    p = await startTestPortal(database, { metrics: { port: 0 } });
    expect(p.portal.metricsUrl).toMatch(/^http:\/\/127\.0\.0\.1:\d+\/metrics$/);
    const issued = await p.issue();
    const before = (await scrape(p.portal.metricsUrl!)).samples;

    const b = p.browser();
    await b.get('/login');
    const csrf = /name="_csrf" value="([^"]*)"/.exec(b.lastPage!.body)![1]!;
    const failed = await b.post('/login', { userId: issued.userId, password: 'Wrong-Password-1' });
    expect(failed.status).toBe(401);
    const ok = await b.post('/login', { userId: issued.userId, password: issued.password }, { follow: false });
    expect(ok.status).toBe(303);
    const token = 'Zm9vYmFyYmF6cXV4cXV1eHF1dXhxdXV4';
    expect((await b.get(`/password/reset/${token}`)).status).toBeGreaterThanOrEqual(200);
    await b.get('/no/such/page-k123456789');

    const { text, samples } = await scrape(p.portal.metricsUrl!);
    const delta = (name: string, labels: Record<string, string> = {}) => value(samples, name, labels) - value(before, name, labels);
    expect(delta('kosmo_login_attempts_total', { step: 'password', outcome: 'failure' })).toBe(1);
    expect(delta('kosmo_login_attempts_total', { step: 'password', outcome: 'success' })).toBe(1);
    expect(delta('kosmo_login_attempts_total', { step: 'birth_date', outcome: 'success' })).toBe(0);
    expect(delta('kosmo_logins_completed_total')).toBe(0); // birth date, terms … still to come
    expect(delta('kosmo_account_lockouts_total')).toBe(0);
    expect(delta('kosmo_second_factor_failures_total', { factor: 'otp', purpose: 'login' })).toBe(0);

    // The histogram: one POST /login answered 401, one answered 303; patterns, never raw paths.
    expect(value(samples, 'kosmo_http_request_duration_seconds_count', { route: '/login', method: 'POST', status_class: '4xx' })).toBe(1);
    expect(value(samples, 'kosmo_http_request_duration_seconds_count', { route: '/login', method: 'POST', status_class: '3xx' })).toBe(1);
    expect(value(samples, 'kosmo_http_request_duration_seconds_bucket', { route: '/login', method: 'POST', status_class: '3xx', le: '+Inf' })).toBe(1);
    expect(value(samples, 'kosmo_http_request_duration_seconds_count', { route: '/login', method: 'GET', status_class: '2xx' })).toBe(1);
    expect(samples.some((s) => s.labels.route === '/password/reset/:token')).toBe(true);
    expect(value(samples, 'kosmo_http_request_duration_seconds_count', { route: 'unmatched', method: 'GET', status_class: '4xx' })).toBe(1);

    // The mail queue gauge, counted at scrape time.
    expect(value(samples, 'kosmo_mail_queue_messages', { status: 'pending' })).toBe(0);
    expect(samples.some((s) => s.name === 'kosmo_mail_queue_messages' && s.labels.status === 'failed')).toBe(true);

    // Never who: no user ID, IP, token, cookie or CSRF value anywhere, no label outside the fixed set.
    for (const secret of [issued.userId, issued.password, '127.0.0.1', '::1', token, 'page-k123456789', csrf, ...b.jar.values()]) expect(text).not.toContain(secret);
    for (const s of samples.filter((x) => x.name.startsWith('kosmo_'))) {
      for (const [label, v] of Object.entries(s.labels)) expect(KOSMO_LABELS[label]?.test(v), `${s.name} ${label}="${v}"`).toBe(true);
    }
  });

  it('counts a lockout and its mail in the queue, and the portal port does not serve /metrics', async () => {
    p = await startTestPortal(database, { metrics: { port: 0 } });
    await p.setSetting('lockout.lockAt', '2');
    const issued = await p.issue();
    const before = (await scrape(p.portal.metricsUrl!)).samples;
    const b = p.browser();
    await b.get('/login');
    for (let i = 0; i < 2; i++) expect((await b.post('/login', { userId: issued.userId, password: 'Wrong-Password-1' })).status).toBe(401);

    const { samples } = await scrape(p.portal.metricsUrl!);
    const delta = (name: string, labels: Record<string, string> = {}) => value(samples, name, labels) - value(before, name, labels);
    expect(delta('kosmo_login_attempts_total', { step: 'password', outcome: 'failure' })).toBe(2);
    expect(delta('kosmo_account_lockouts_total')).toBe(1);
    // The account-locked notice waits in the queue (no mail worker in this test).
    expect(value(samples, 'kosmo_mail_queue_messages', { status: 'pending' })).toBe(1);
    expect(value(samples, 'kosmo_mail_queue_messages', { status: 'failed' })).toBe(0);

    expect((await fetch(`${p.url}/metrics`)).status).toBe(404);
    const metricsOrigin = new URL(p.portal.metricsUrl!).origin;
    expect((await fetch(`${metricsOrigin}/`)).status).toBe(404);
    expect((await fetch(p.portal.metricsUrl!, { method: 'POST' })).status).toBe(405);
    expect(samples.some((s) => s.name === 'process_resident_memory_bytes')).toBe(true);

    await p.stop();
    p = null;
    await expect(fetch(`${metricsOrigin}/metrics`)).rejects.toThrow(); // closed with the portal
  });

  it('maps second-factor, re-authentication, reset and mail events to their counters', async () => {
    const t = await createTestCore(database);
    const metrics = createPortalMetrics(t.core, silentLogger);
    try {
      const audit = async (action: string, outcome: 'success' | 'failure') =>
        t.core.db.em().transactional(async (em) => recordAudit(em, t.clock, { societyId: t.society.id, actor: { type: 'anonymous', ip: '192.0.2.1' }, action, outcome }));
      await audit('login.otp', 'failure');
      await audit('login.passkey', 'failure');
      await audit('reauth.otp', 'failure');
      await audit('login.passkey', 'success');
      await audit('reauth.password', 'success');
      await audit('recovery.password_request', 'success');
      await audit('recovery.password_request', 'failure');
      await audit('login.success', 'success');
      await audit('member.locked', 'success');
      await audit('terms.accept', 'success');
      metrics.onMailBatch({ sent: 3, retried: 2, failed: 1 });
      metrics.observeRequest('/login', 'POST', 200, 0.2);
      const samples = parse(await metrics.registry.metrics());
      expect(value(samples, 'kosmo_second_factor_failures_total', { factor: 'otp', purpose: 'login' })).toBe(1);
      expect(value(samples, 'kosmo_second_factor_failures_total', { factor: 'passkey', purpose: 'login' })).toBe(1);
      expect(value(samples, 'kosmo_second_factor_failures_total', { factor: 'otp', purpose: 'reauth' })).toBe(1);
      expect(value(samples, 'kosmo_second_factor_failures_total', { factor: 'passkey', purpose: 'reauth' })).toBe(0);
      expect(value(samples, 'kosmo_login_attempts_total', { step: 'otp', outcome: 'failure' })).toBe(1);
      expect(value(samples, 'kosmo_login_attempts_total', { step: 'passkey', outcome: 'success' })).toBe(1);
      expect(value(samples, 'kosmo_login_attempts_total', { step: 'reauth_password', outcome: 'success' })).toBe(1);
      expect(value(samples, 'kosmo_password_reset_requests_total', { outcome: 'success' })).toBe(1);
      expect(value(samples, 'kosmo_password_reset_requests_total', { outcome: 'failure' })).toBe(1);
      expect(value(samples, 'kosmo_logins_completed_total')).toBe(1);
      expect(value(samples, 'kosmo_account_lockouts_total')).toBe(1);
      expect(value(samples, 'kosmo_mail_sent_total')).toBe(3);
      expect(value(samples, 'kosmo_mail_delivery_failures_total', { result: 'retry' })).toBe(2);
      expect(value(samples, 'kosmo_mail_delivery_failures_total', { result: 'given_up' })).toBe(1);
      expect(value(samples, 'kosmo_http_request_duration_seconds_bucket', { route: '/login', method: 'POST', status_class: '2xx', le: '0.25' })).toBe(1);
      expect(value(samples, 'kosmo_http_request_duration_seconds_bucket', { route: '/login', method: 'POST', status_class: '2xx', le: '0.1' })).toBe(0);
    } finally {
      metrics.close();
      await t.close();
    }
  });
});

/** Static imports (not `import type`, not dynamic `import()`) of a TypeScript module under src/. */
function staticImports(file: string): string[] {
  const text = readFileSync(file, 'utf8');
  const specs = [...text.matchAll(/^\s*(?:import|export)\s+(?!type\b)(?:[^'";]*?\s+from\s+)?'([^']+)'/gm)].map((m) => m[1]!);
  return specs;
}

function reachesPackage(entry: string, pkg: string): string[] {
  const seen = new Set<string>();
  const hits: string[] = [];
  const walk = (file: string) => {
    if (seen.has(file)) return;
    seen.add(file);
    for (const spec of staticImports(file)) {
      if (spec === pkg || spec.startsWith(`${pkg}/`)) hits.push(file);
      if (!spec.startsWith('.')) continue;
      const target = resolve(dirname(file), spec.replace(/\.js$/, '.ts'));
      const tsx = target.replace(/\.ts$/, '.tsx');
      if (existsSync(target)) walk(target);
      else if (existsSync(tsx)) walk(tsx);
    }
  };
  walk(entry);
  return hits;
}

describe('metrics: prom-client is loaded only with --metrics-port', () => {
  it('is not in the static module graph of the CLI, the core or the portal server', () => {
    expect(reachesPackage(join(ROOT, 'src/cli/main.ts'), 'prom-client')).toEqual([]);
    expect(reachesPackage(join(ROOT, 'src/portal/server.ts'), 'prom-client')).toEqual([]);
    expect(reachesPackage(join(ROOT, 'src/portal/metrics/index.ts'), 'prom-client').length).toBeGreaterThan(0);
  });
});

describe('kosmo serve --metrics-port (the real binary)', () => {
  const cleanups: (() => void)[] = [];
  beforeAll(() => ensureBuilt(), 180_000);
  afterEach(() => {
    for (const c of cleanups.splice(0)) c();
  });

  async function initDir(): Promise<string> {
    const d = tempDataDir();
    cleanups.push(d.cleanup);
    const r = await run(['--data-dir', d.dataDir, 'init', '--society-code', 'sckenpo', '--society-name', '大和総研健保']);
    expect(r.code, r.stderr).toBe(0);
    return d.dataDir;
  }

  function serve(dataDir: string, args: string[]): { child: ChildProcess; out: () => string; metricsUrl: Promise<string> } {
    const env: Record<string, string> = {};
    for (const [k, v] of Object.entries(process.env)) if (v !== undefined && !k.startsWith('KOSMO_') && k !== 'NODE_OPTIONS') env[k] = v;
    const child = spawn(process.execPath, [BIN, '--data-dir', dataDir, 'serve', '--port', '0', ...args], { cwd: ROOT, env, stdio: ['ignore', 'pipe', 'pipe'] });
    cleanups.push(() => child.kill('SIGKILL'));
    let out = '';
    let err = '';
    const metricsUrl = new Promise<string>((resolveUrl, reject) => {
      child.stdout!.setEncoding('utf8').on('data', (d: string) => {
        out += d;
        // Language-independent: the scrape URL is the one ending in /metrics.
        const m = /(http:\/\/\S+\/metrics)\b/.exec(out);
        if (m) resolveUrl(m[1]!);
      });
      child.stderr!.setEncoding('utf8').on('data', (d: string) => (err += d));
      child.on('exit', () => reject(new Error(`serve exited: ${out} ${err}`)));
    });
    return { child, out: () => out, metricsUrl };
  }

  it('serves /metrics on the loopback address, apart from the portal, and closes it on SIGTERM', async () => {
    const dataDir = await initDir();
    const s = serve(dataDir, ['--metrics-port', '0']);
    const metricsUrl = await s.metricsUrl;
    expect(metricsUrl).toMatch(/^http:\/\/127\.0\.0\.1:\d+\/metrics$/);
    const portalUrl = [...s.out().matchAll(/http:\/\/[^\s/]+/g)].map((m) => m[0]).find((u) => u !== new URL(metricsUrl).origin)!;
    expect(new URL(portalUrl).port).not.toBe(new URL(metricsUrl).port);
    expect((await fetch(`${portalUrl}/healthz`)).status).toBe(200);
    const { samples } = await scrape(metricsUrl);
    expect(value(samples, 'kosmo_http_request_duration_seconds_count', { route: '/healthz', method: 'GET', status_class: '2xx' })).toBe(1);
    expect(value(samples, 'kosmo_mail_queue_messages', { status: 'pending' })).toBe(0);
    expect((await fetch(`${portalUrl}/metrics`)).status).toBe(404);
    const exited = new Promise<number | null>((r) => s.child.on('exit', (code) => r(code)));
    s.child.kill('SIGTERM');
    expect(await exited).toBe(0);
    await expect(fetch(metricsUrl)).rejects.toThrow();
  });

  it('refuses a bad --metrics-port, the portal port, or --metrics-host alone: exit 2 naming the flag', async () => {
    const dataDir = await initDir();
    for (const [args, flag] of [
      [['--metrics-port', 'abc'], '--metrics-port'],
      [['--metrics-port', '70000'], '--metrics-port'],
      [['--metrics-port', '-1'], '--metrics-port'],
      [['--port', '3456', '--metrics-port', '3456'], '--metrics-port'],
      [['--metrics-host', '0.0.0.0'], '--metrics-host'],
    ] as const) {
      for (const lang of ['ja', 'en']) {
        const r = await run(['--data-dir', dataDir, 'serve', ...args], { env: { KOSMO_LANG: lang } });
        expect(r.code, `${args.join(' ')}: ${r.stderr}`).toBe(2);
        expect(r.stderr).toContain(flag);
        expect(r.stderr).not.toMatch(/serve\.metrics/);
        const japanese = /[ぁ-んァ-ン一-龯]/;
        if (lang === 'ja') expect(r.stderr).toMatch(japanese);
        else expect(r.stderr).not.toMatch(japanese);
      }
    }
    // Ten runs of the real binary: allow for a loaded machine.
  }, 180_000);
});
