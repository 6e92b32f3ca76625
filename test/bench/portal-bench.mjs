// Portal benchmarks (DESIGN.md §6), against a real `kosmo serve` process on loopback:
// - password logins/s ÷ raw argon2 verifies/s (budget ≥ 0.9)
// - authenticated page req/s ÷ Koa hello-world req/s (budget ≥ 0.5)
// - portal peak RSS under that load (budget ≤ 150 MB)
// Bounded: every load loop runs a fixed time on 127.0.0.1 only, then stops.
import { spawn, execFileSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { argon2Rate } from './argon2-rate.mjs';

const root = fileURLToPath(new URL('../..', import.meta.url));
const bin = join(root, 'bin', 'kosmo.js');
const benchDir = mkdtempSync(join(tmpdir(), 'kosmo-bench-'));
const dataDir = join(benchDir, 'data');
const env = { ...process.env, KOSMO_DATA_DIR: dataDir, KOSMO_LANG: 'en' };
const SECONDS = Number(process.env.KOSMO_BENCH_SECONDS ?? 5);

function freePort() {
  return 20000 + Math.floor(Math.random() * 20000);
}

async function waitFor(url) {
  for (let i = 0; i < 100; i++) {
    try {
      if ((await fetch(url)).ok) return;
    } catch {}
    await new Promise((r) => setTimeout(r, 100));
  }
  throw new Error(`${url} did not come up`);
}

async function load(concurrency, seconds, once) {
  const end = Date.now() + seconds * 1000;
  let done = 0;
  await Promise.all(
    Array.from({ length: concurrency }, async (_, w) => {
      while (Date.now() < end) {
        await once(w);
        done++;
      }
    }),
  );
  return done / seconds;
}

function cookieOf(res) {
  return (res.headers.getSetCookie?.() ?? []).map((c) => c.split(';')[0]).join('; ');
}

execFileSync(process.execPath, [bin, 'init'], { env, stdio: 'ignore' });

// Members with known provisional passwords, and one fully signed-in session, made through the core.
const { loadConfig } = await import(join(root, 'dist/core/config.js'));
const { createCore } = await import(join(root, 'dist/core/context.js'));
const { findSociety } = await import(join(root, 'dist/core/society/find-society.js'));
const { issueMember } = await import(join(root, 'dist/core/accounts/issue-member.js'));
const { createSession } = await import(join(root, 'dist/core/sessions/create-session.js'));
const entities = await import(join(root, 'dist/core/db/entities/index.js'));
const core = await createCore(loadConfig({ dataDir }, env));
const society = await findSociety(core);
const actor = { type: 'staff', name: 'bench' };
const members = [];
for (let i = 0; i < 16; i++) {
  const r = await issueMember(core, actor, society.id, { name: `負荷試験${i}`, kana: 'フカシケン', birthDate: '1980-01-01', cardNumber: `B${i}` });
  members.push(r);
}
const em = core.db.em();
const signedIn = await em.findOneOrFail(entities.Member, { id: members[0].member.id });
signedIn.status = 'active';
signedIn.onboardingStep = null;
em.create(entities.TotpDevice, { member: signedIn, name: 'bench', secretEnc: 'v1.x.x.x', lastUsedStep: null, createdAt: new Date(), lastUsedAt: null });
const terms = await em.findOne(entities.TermsVersion, { society: society.id }, { orderBy: { version: 'desc' } });
if (terms) em.create(entities.TermsAcceptance, { member: signedIn, termsVersion: terms, version: terms.version, acceptedAt: new Date(), ip: null });
await em.flush();
const { token, session } = await createSession(core, society.id, { ip: null, userAgent: 'bench' }, { stage: 'authenticated', progress: { secondFactorVerified: true } });
const em2 = core.db.em();
const row = await em2.findOneOrFail(entities.Session, { id: session.id });
row.member = signedIn.id;
row.authenticatedAt = new Date();
await em2.flush();
await core.db.close();

const port = freePort();
const base = `http://127.0.0.1:${port}`;
const portal = spawn(process.execPath, [bin, 'serve', '--port', String(port)], { env, stdio: 'ignore' });
const exited = new Promise((r) => portal.once('exit', r));
let peakRss = 0;
const rssTimer = setInterval(() => {
  try {
    const kb = Number(/VmRSS:\s+(\d+)/.exec(readFileSync(`/proc/${portal.pid}/status`, 'utf8'))?.[1] ?? 0);
    peakRss = Math.max(peakRss, kb / 1024);
  } catch {}
}, 100);
try {
  await waitFor(`${base}/healthz`);

  const loginsPerSecond = await load(8, SECONDS, async (w) => {
    const m = members[w % members.length];
    const page = await fetch(`${base}/login`);
    const html = await page.text();
    const csrf = /name="_csrf" value="([^"]+)"/.exec(html)?.[1];
    const res = await fetch(`${base}/login`, {
      method: 'POST',
      redirect: 'manual',
      headers: { 'content-type': 'application/x-www-form-urlencoded', cookie: cookieOf(page), origin: base, 'sec-fetch-site': 'same-origin' },
      body: new URLSearchParams({ _csrf: csrf ?? '', userId: m.userId, password: m.password }),
    });
    await res.arrayBuffer();
    if (res.status !== 303 || !/^\/(login\/birth-date|login\/second-factor)$/.test(res.headers.get('location') ?? '')) throw new Error(`login failed: ${res.status} ${res.headers.get('location')}`);
  });
  const verify = Number(process.env.KOSMO_BENCH_ARGON2_VERIFY) || (await argon2Rate('verify')).perSecond;
  console.log(`password logins/s: ${loginsPerSecond.toFixed(1)}; ÷ raw argon2 verifies/s ${verify.toFixed(1)} = ${(loginsPerSecond / verify).toFixed(2)} (budget ≥ 0.9)`);

  const cookieName = 'kosmo_session';
  const pagePerSecond = await load(16, SECONDS, async () => {
    const res = await fetch(`${base}/`, { headers: { cookie: `${cookieName}=${token}` } });
    const body = await res.text();
    if (res.status !== 200 || !body.includes('負荷試験0')) throw new Error(`top page not authenticated: ${res.status}`);
  });

  const helloPort = freePort();
  const hello = spawn(process.execPath, ['--input-type=module', '-e', `import Koa from 'koa'; const a = new Koa(); a.use((ctx) => { ctx.body = 'hello'; }); a.listen(${helloPort}, '127.0.0.1');`], { cwd: root, stdio: 'ignore' });
  try {
    await waitFor(`http://127.0.0.1:${helloPort}/`);
    const helloPerSecond = await load(16, SECONDS, async () => {
      await (await fetch(`http://127.0.0.1:${helloPort}/`)).text();
    });
    console.log(`authenticated page req/s: ${pagePerSecond.toFixed(0)}; ÷ Koa hello-world req/s ${helloPerSecond.toFixed(0)} = ${(pagePerSecond / helloPerSecond).toFixed(2)} (budget ≥ 0.5)`);
  } finally {
    hello.kill();
  }
  console.log(`portal peak RSS under load: ${peakRss.toFixed(0)} MB (budget ≤ 150 MB)`);
} finally {
  clearInterval(rssTimer);
  portal.kill('SIGTERM');
  await exited;
  rmSync(benchDir, { recursive: true, force: true });
}
