// `npm run lint`: ESLint, the import rules (dependency-cruiser), the public API's plain-data check
// (check-public-api.mjs) and Prettier's check, run side by side (each is mostly one core), each
// one's output printed as one block. Exits 1 when any of them
// fails, after all have finished, so one run shows every problem. docs/architecture.md.
import { spawn } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { delimiter, join } from 'node:path';
import { fileURLToPath } from 'node:url';

// Each check is the package.json script of that name, run the way npm runs it (a shell, with
// node_modules/.bin on PATH) but without starting npm three more times.
const root = fileURLToPath(new URL('..', import.meta.url));
const scripts = JSON.parse(readFileSync(join(root, 'package.json'), 'utf8')).scripts;
const env = { ...process.env, PATH: [join(root, 'node_modules', '.bin'), process.env.PATH].join(delimiter) };
// The checks write to pipes: keep their colours when the lint itself writes to a terminal.
if (process.stdout.isTTY) env.FORCE_COLOR = '1';

const checks = [
  { name: 'eslint', script: 'lint:eslint' },
  { name: 'import rules (dependency-cruiser)', script: 'lint:deps' },
  { name: 'public API: plain data only', script: 'lint:api' },
  { name: 'formatting (prettier --check)', script: 'format:check' },
];

function run({ name, script }) {
  const started = performance.now();
  return new Promise((resolve) => {
    const child = spawn(scripts[script], { shell: true, cwd: root, stdio: ['ignore', 'pipe', 'pipe'], env });
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
