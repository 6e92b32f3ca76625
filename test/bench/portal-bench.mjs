// Portal benchmarks (DESIGN.md §6), against a real `kosmo serve` process on loopback, with a real
// load generator (autocannon, test/bench/load.mjs, its own process). The servers run pinned to
// core 0 from their start (taskset), the load generator on core 1:
// - password logins/s ÷ raw argon2 verifies/s (budget ≥ 0.9): each login is GET /login + POST
//   /login with the right password; the raw rate is argon2 alone in its own process on the same
//   core 0, measured in each round right before the logins.
// - authenticated page req/s ÷ Koa hello-world req/s (budget ≥ 0.2): the hello-world server
//   pinned the same way.
// - peak RSS of `kosmo serve` over the whole run, warm-up included (budget ≤ 170 MB): the kernel's
//   high-water mark (VmHWM), so no sample can miss the peak.
// A warm-up of KOSMO_BENCH_WARMUP seconds per scenario (default 3) runs first and is not counted:
// the first seconds of a fresh process compile its code. Then KOSMO_BENCH_ROUNDS rounds (default
// 5) of KOSMO_BENCH_SECONDS each (default 5); every figure is printed as its median and range,
// side by side; each ratio is taken within one round. Each load starts once the portal has gone
// quiet after the previous one (see `settled`).
import { spawn, execFile, execFileSync } from 'node:child_process';
import { mkdtempSync, readFileSync, readdirSync, rmSync } from 'node:fs';
import { tmpdir, availableParallelism } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { argon2Rate } from './argon2-rate.mjs';

const root = fileURLToPath(new URL('../..', import.meta.url));
const bin = join(root, 'bin', 'kosmo.js');
const loadScript = fileURLToPath(new URL('./load.mjs', import.meta.url));
const rawScript = fileURLToPath(new URL('./argon2-rate.mjs', import.meta.url));
const benchDir = mkdtempSync(join(tmpdir(), 'kosmo-bench-'));
const dataDir = join(benchDir, 'data');
const baseEnv = Object.fromEntries(Object.entries(process.env).filter(([k]) => !k.startsWith('KOSMO_') && k !== 'NODE_OPTIONS'));
const env = { ...baseEnv, KOSMO_DATA_DIR: dataDir, KOSMO_LANG: 'en' };
const SECONDS = Number(process.env.KOSMO_BENCH_SECONDS ?? 5);
const WARMUP = Number(process.env.KOSMO_BENCH_WARMUP ?? 3);
const ROUNDS = Number(process.env.KOSMO_BENCH_ROUNDS ?? 5);
const MEMBERS = 16;
const cores = availableParallelism();
const pin = cores >= 2 && hasTaskset();
// This process reads the portal's log while the loads run (as a log collector would): it stays off
// the servers' core, on the load generator's, so core 0 runs nothing but the server measured.
if (pin) execFileSync('taskset', ['-a', '-p', '-c', '1', String(process.pid)], { stdio: 'ignore' });

function hasTaskset() {
  try {
    execFileSync('taskset', ['-p', String(process.pid)], { stdio: 'ignore' });
    return true;
  } catch {
    return false;
  }
}

/** A command line run on core 0 when pinning (the servers, the raw argon2 rate). */
function onCore0(argv) {
  return pin ? ['taskset', ['-c', '0', ...argv]] : [argv[0], argv.slice(1)];
}

/**
 * A port below the system's ephemeral range: one inside it can be the local port of an outgoing
 * connection at that moment (EADDRINUSE with nothing listening).
 */
function freePort() {
  let low = 32768;
  try {
    low = Number(readFileSync('/proc/sys/net/ipv4/ip_local_port_range', 'utf8').trim().split(/\s+/)[0]) || low;
  } catch {
    // not Linux: the IANA range starts at 49152, so below 32768 is clear of it too
  }
  const top = Math.max(11000, Math.min(low, 49152));
  return 10000 + Math.floor(Math.random() * (top - 10000));
}

async function waitFor(url) {
  for (let i = 0; i < 150; i++) {
    try {
      if ((await fetch(url)).ok) return;
    } catch {
      // not listening yet
    }
    await new Promise((r) => setTimeout(r, 100));
  }
  throw new Error(`${url} did not come up`);
}

/** autocannon in its own process, on core 1 when pinning. */
async function load(options, seconds = SECONDS) {
  const args = [loadScript, JSON.stringify({ seconds, ...options })];
  const [cmd, argv] = pin ? ['taskset', ['-c', '1', process.execPath, ...args]] : [process.execPath, args];
  const out = await new Promise((resolve, reject) => execFile(cmd, argv, { cwd: root, encoding: 'utf8', maxBuffer: 16 << 20 }, (err, stdout) => (err ? reject(err) : resolve(stdout))));
  const r = JSON.parse(out.trim().split('\n').at(-1));
  if (r.errors > 0 || r.non2xx > 0 || r.loginFailures > 0) throw new Error(`${options.scenario}: ${JSON.stringify(r)}`);
  return r.perSecond;
}

/**
 * CPU seconds per kind of thread of `pid`: the event loop (the main thread), libuv's pool (where
 * argon2 runs) and the rest (V8's compiler and GC helpers).
 */
function threadCpuSeconds(pid) {
  const out = { eventLoop: 0, pool: 0, other: 0 };
  for (const tid of readdirSync(`/proc/${pid}/task`)) {
    try {
      const kind = tid === String(pid) ? 'eventLoop' : readFileSync(`/proc/${pid}/task/${tid}/comm`, 'utf8').startsWith('libuv-worker') ? 'pool' : 'other';
      const fields = readFileSync(`/proc/${pid}/task/${tid}/stat`, 'utf8')
        .replace(/^.*\) /, '')
        .split(' ');
      out[kind] += (Number(fields[11]) + Number(fields[12])) / 100;
    } catch {
      // the thread ended meanwhile
    }
  }
  return out;
}

/**
 * A load against the server `pid`: requests per second, the server's CPU microseconds per request,
 * and the same split by kind of thread.
 */
async function measured(pid, options) {
  const before = threadCpuSeconds(pid);
  const perSecond = await load(options);
  const after = threadCpuSeconds(pid);
  const per = (kind) => ((after[kind] - before[kind]) * 1e6) / (perSecond * SECONDS);
  return { perSecond, cpuUs: per('eventLoop') + per('pool') + per('other'), eventLoopUs: per('eventLoop'), poolUs: per('pool'), otherUs: per('other') };
}

/**
 * Waits until the server `pid` has gone quiet (at most one clock tick of CPU in a quarter second,
 * 15 s at most). When the load generator stops, a load's tail still runs in the server: the logins
 * it had sent wait for argon2 (up to one per connection), V8's helper threads finish a collection.
 * Measured straight after the logins, the page's figure counted that tail as its own: 9 µs of
 * argon2 and ~10 µs of V8's helpers per page view, 10–20 % of it.
 */
async function settled(pid) {
  const cpu = () => Object.values(threadCpuSeconds(pid)).reduce((a, b) => a + b, 0);
  let last = cpu();
  for (let waited = 0; waited < 15_000; waited += 250) {
    await new Promise((r) => setTimeout(r, 250));
    const now = cpu();
    if (now - last <= 0.01) return;
    last = now;
  }
  console.error(`bench: process ${pid} still busy after 15 s; measuring anyway`);
}

/** Raw argon2 verifies on core 0 alone (its own process), or on all cores when not pinning. */
async function rawVerifies() {
  if (!pin) return argon2Rate('verify');
  const [cmd, argv] = onCore0([process.execPath, rawScript, '--json']);
  return JSON.parse(execFileSync(cmd, argv, { cwd: root, encoding: 'utf8' }).trim().split('\n').at(-1));
}

function peakRssMb(pid) {
  return Number(/VmHWM:\s+(\d+)/.exec(readFileSync(`/proc/${pid}/status`, 'utf8'))?.[1] ?? 0) / 1024;
}

const median = (xs) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)];
const span = (xs, digits) => (xs.length > 1 ? ` (${Math.min(...xs).toFixed(digits)}–${Math.max(...xs).toFixed(digits)})` : '');
const fmt = (xs, digits) => `${median(xs).toFixed(digits)}${span(xs, digits)}`;

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
for (let i = 0; i < MEMBERS; i++) {
  const r = await issueMember(core, actor, { societyId: society.id, member: { name: `負荷試験${i}`, kana: 'フカシケン', birthDate: '1980-01-01', cardNumber: `B${i}` } });
  members.push({ userId: r.userId, password: r.password });
}
const em = core.db.em();
const signedIn = await em.findOneOrFail(entities.Member, { userId: members[0].userId });
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
const cookie = `kosmo_session=${token}`;

const port = freePort();
const base = `http://127.0.0.1:${port}`;
// KOSMO_BENCH_NODE_ARGS: extra Node.js flags for the server (e.g. `--cpu-prof` when profiling).
const nodeArgs = (process.env.KOSMO_BENCH_NODE_ARGS ?? '').split(' ').filter(Boolean);
// The portal's log is read as it comes, as a log collector would (the loads run as child processes
// this one awaits, so it keeps reading): a pipe nobody reads would hold every log line of a load
// in the portal's memory.
const portal = spawn(...onCore0([process.execPath, ...nodeArgs, bin, 'serve', '--port', String(port)]), { env, stdio: ['ignore', 'ignore', 'pipe'] });
let portalErr = '';
portal.stderr.setEncoding('utf8').on('data', (d) => (portalErr = (portalErr + d).slice(-4000)));
const exited = new Promise((r) => portal.once('exit', r));
const helloPort = freePort();
const hello = spawn(
  ...onCore0([process.execPath, '--input-type=module', '-e', `import Koa from 'koa'; const a = new Koa(); a.use((ctx) => { ctx.body = 'hello'; }); a.listen(${helloPort}, '127.0.0.1');`]),
  {
    cwd: root,
    stdio: 'ignore',
  },
);
const rounds = {
  logins: [],
  verify: [],
  verifyCpuMs: [],
  loginCpuMs: [],
  loginEventLoopMs: [],
  loginPoolMs: [],
  loginOtherMs: [],
  page: [],
  hello: [],
  pageCpuUs: [],
  pageEventLoopUs: [],
  pageOtherUs: [],
  helloCpuUs: [],
};
// KOSMO_BENCH_ONLY=page|login: one phase only (when profiling).
const only = process.env.KOSMO_BENCH_ONLY ?? null;
try {
  await waitFor(`${base}/healthz`);
  await waitFor(`http://127.0.0.1:${helloPort}/`);
  const top = await fetch(`${base}/`, { headers: { cookie } });
  if (top.status !== 200 || !(await top.text()).includes('負荷試験0')) throw new Error(`top page not authenticated: ${top.status}`);
  const idleRss = peakRssMb(portal.pid);

  const loginLoad = { scenario: 'login', url: base, connections: MEMBERS, members };
  const pageLoad = { scenario: 'page', url: base, connections: 16, cookie };
  const helloLoad = { scenario: 'hello', url: `http://127.0.0.1:${helloPort}`, connections: 16 };
  if (WARMUP > 0) {
    if (only !== 'page') await load(loginLoad, WARMUP);
    if (only !== 'login') {
      await load(pageLoad, WARMUP);
      await load(helloLoad, WARMUP);
    }
  }
  for (let r = 0; r < ROUNDS; r++) {
    if (!only || only === 'login') {
      // The yardstick is measured in every round, right before the logins: other load on the
      // machine then weighs on both alike.
      await settled(portal.pid);
      const raw = await rawVerifies();
      rounds.verify.push(raw.perSecond);
      rounds.verifyCpuMs.push(raw.cpuMs);
      const logins = await measured(portal.pid, loginLoad);
      rounds.logins.push(logins.perSecond);
      rounds.loginCpuMs.push(logins.cpuUs / 1000);
      rounds.loginEventLoopMs.push(logins.eventLoopUs / 1000);
      rounds.loginPoolMs.push(logins.poolUs / 1000);
      rounds.loginOtherMs.push(logins.otherUs / 1000);
    }
    if (only === 'login') continue;
    await settled(portal.pid);
    const page = await measured(portal.pid, pageLoad);
    await settled(portal.pid);
    const hi = await measured(hello.pid, helloLoad);
    rounds.page.push(page.perSecond);
    rounds.hello.push(hi.perSecond);
    rounds.pageCpuUs.push(page.cpuUs);
    rounds.pageEventLoopUs.push(page.eventLoopUs);
    rounds.pageOtherUs.push(page.otherUs + page.poolUs);
    rounds.helloCpuUs.push(hi.cpuUs);
  }
  const after = await fetch(`${base}/`, { headers: { cookie } });
  if (after.status !== 200 || !(await after.text()).includes('負荷試験0')) throw new Error(`top page not authenticated after the load: ${after.status}`);
  const peak = peakRssMb(portal.pid);

  const loginRatio = rounds.logins.map((l, i) => l / rounds.verify[i]);
  const pageRatio = rounds.page.map((p, i) => p / rounds.hello[i]);
  // The same ratio from CPU time per request: hardly moved by other load on the machine.
  const cpuRatio = rounds.pageCpuUs.map((p, i) => rounds.helloCpuUs[i] / p);
  if (only) {
    console.log(JSON.stringify({ ...rounds, loginRatio, pageRatio, cpuRatio, peakRssMb: peak }));
  } else {
    const where = pin ? 'servers pinned to core 0, autocannon on core 1' : 'NOT pinned (no taskset or one core): not comparable';
    console.log(`portal, ${where}; ${WARMUP} s warm-up per scenario, then ${ROUNDS} rounds × ${SECONDS} s, median (range):`);
    console.log(`  password logins/s ${fmt(rounds.logins, 1)} ÷ raw argon2 verifies/s ${fmt(rounds.verify, 1)} = ${fmt(loginRatio, 2)} (budget ≥ 0.9)`);
    const loginCpuRatio = rounds.loginCpuMs.map((l, i) => rounds.verifyCpuMs[i] / l);
    console.log(
      `    the same from CPU time: per raw verify ${fmt(rounds.verifyCpuMs, 1)} ms, per login (whole server, argon2 threads included) ${fmt(rounds.loginCpuMs, 1)} ms = ${fmt(loginCpuRatio, 2)} (cross-check)`,
    );
    console.log(
      `    server CPU per login by thread: argon2 (libuv pool) ${fmt(rounds.loginPoolMs, 1)} ms, event loop ${fmt(rounds.loginEventLoopMs, 2)} ms, V8 helpers ${fmt(rounds.loginOtherMs, 2)} ms`,
    );
    console.log(`  authenticated page req/s ${fmt(rounds.page, 0)} ÷ Koa hello req/s ${fmt(rounds.hello, 0)} = ${fmt(pageRatio, 3)} (budget ≥ 0.2)`);
    console.log(
      `    the same from CPU time per request: page ${fmt(rounds.pageCpuUs, 0)} µs, hello ${fmt(rounds.helloCpuUs, 0)} µs = ${fmt(cpuRatio, 3)} (cross-check; steadier when the machine is busy)`,
    );
    console.log(`    server CPU per page view by thread: event loop ${fmt(rounds.pageEventLoopUs, 0)} µs, V8 helpers and libuv's pool ${fmt(rounds.pageOtherUs, 1)} µs`);
    console.log(`  kosmo serve peak RSS ${peak.toFixed(0)} MB (idle ${idleRss.toFixed(0)} MB) (budget ≤ 170 MB)`);
  }
} catch (err) {
  console.error(`kosmo serve's last log lines:\n${portalErr}`);
  throw err;
} finally {
  hello.kill();
  portal.kill('SIGTERM');
  await exited;
  rmSync(benchDir, { recursive: true, force: true });
}
