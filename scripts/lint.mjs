// `npm run lint`: ESLint, the import rules (dependency-cruiser) and Prettier's check, run side by
// side (each is mostly one core), each one's output printed as one block. Exits 1 when any of them
// fails, after all have finished, so one run shows every problem. docs/architecture.md.
import { spawn } from 'node:child_process';

const checks = [
  { name: 'eslint', script: 'lint:eslint' },
  { name: 'import rules (dependency-cruiser)', script: 'lint:deps' },
  { name: 'formatting (prettier --check)', script: 'format:check' },
];

function run({ name, script }) {
  const started = performance.now();
  return new Promise((resolve) => {
    const child = spawn('npm', ['run', '--silent', script], { stdio: ['ignore', 'pipe', 'pipe'], env: { ...process.env, FORCE_COLOR: process.stdout.isTTY ? '1' : '0' } });
    let out = '';
    child.stdout.on('data', (d) => (out += d));
    child.stderr.on('data', (d) => (out += d));
    child.on('error', (err) => resolve({ name, script, ok: false, out: String(err), seconds: 0 }));
    child.on('close', (code) => resolve({ name, script, ok: code === 0, out, seconds: (performance.now() - started) / 1000 }));
  });
}

const results = await Promise.all(checks.map(run));
for (const r of results) {
  process.stdout.write(`\n${r.ok ? 'ok  ' : 'FAIL'} ${r.name} (npm run ${r.script}, ${r.seconds.toFixed(1)} s)\n`);
  if (!r.ok || r.out.trim()) process.stdout.write(r.out.replace(/^(?!$)/gm, '  ').replace(/\n?$/, '\n'));
}
const failed = results.filter((r) => !r.ok);
process.stdout.write(failed.length ? `\nlint failed: ${failed.map((r) => r.name).join(', ')}\n` : '\nlint passed\n');
process.exitCode = failed.length ? 1 : 0;
