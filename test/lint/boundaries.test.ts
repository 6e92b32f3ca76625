import { describe, it, expect, beforeAll, afterAll } from 'vitest';
import { spawnSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

/**
 * The import rules of .dependency-cruiser.cjs (docs/architecture.md) bite: the real config, run
 * over a small throwaway tree laid out like src/ in a temp directory (never in src/ itself), flags
 * each deliberately bad import with its rule, and nothing in the allowed layout.
 */
const ROOT = fileURLToPath(new URL('../..', import.meta.url));
const CONFIG = join(ROOT, '.dependency-cruiser.cjs');
const DEPCRUISE = join(ROOT, 'node_modules', 'dependency-cruiser', 'bin', 'dependency-cruiser.mjs');

/** The allowed layout: every edge the rules must accept, including the documented exceptions. */
const ALLOWED: Record<string, string> = {
  'src/core/index.ts': "export * from './errors.js';\nexport { openDatabase } from './db/orm.js';\nexport { renderMail } from './mail/render-mail.js';",
  'src/core/errors.ts': 'export class KosmoError extends Error {}',
  'src/core/db/orm.ts': "import type { KosmoError } from '../errors.js';\nexport const openDatabase = (e?: KosmoError) => e;",
  'src/core/mail/render-mail.ts': "export async function renderMail() {\n  return import('nunjucks');\n}",
  'src/staff-text/index.ts': "import type { KosmoError } from '../core/index.js';\nexport const t = (e?: KosmoError) => e;",
  'src/portal/server.ts': "import { openDatabase } from '../core/index.js';\nimport { app } from './app.js';\nexport const startPortal = () => [openDatabase, app];",
  'src/portal/app.ts': "import Koa from 'koa';\nexport const app = new Koa();",
  'src/cli/main.ts': "import { t } from '../staff-text/index.js';\nimport { KosmoError } from '../core/index.js';\nexport const main = () => [t, KosmoError];",
  'src/cli/commands/serve.ts':
    "import type { startPortal } from '../../portal/server.js';\nexport async function serve(): Promise<typeof startPortal> {\n  return (await import('../../portal/server.js')).startPortal;\n}",
  'src/cli/commands/tui.ts': "export async function tui() {\n  return (await import('../../tui/run.js')).runTui;\n}",
  'src/tui/run.tsx': "import { render } from 'ink';\nimport { t } from '../staff-text/index.js';\nimport { KosmoError } from '../core/index.js';\nexport const runTui = () => [render, t, KosmoError];",
};

/**
 * One bad import per file, with the rule that must flag it. A cycle is reported once, from either
 * of its files: `partner` is the other one.
 */
const PROBES: { file: string; source: string; partner?: Record<string, string>; rule: string; to: string }[] = [
  { file: 'src/portal/__lint_probe_deep__.ts', source: "export { openDatabase } from '../core/db/orm.js';", rule: 'adapters-use-core-public-index', to: 'src/core/db/orm.ts' },
  { file: 'src/cli/__lint_probe_deep__.ts', source: "export async function f() {\n  return import('../core/errors.js');\n}", rule: 'adapters-use-core-public-index', to: 'src/core/errors.ts' },
  { file: 'src/tui/__lint_probe_deep__.ts', source: "export type { KosmoError } from '../core/errors.js';", rule: 'adapters-use-core-public-index', to: 'src/core/errors.ts' },
  { file: 'src/portal/__lint_probe_cli__.ts', source: "export { main } from '../cli/main.js';", rule: 'portal-imports-no-other-front-end', to: 'src/cli/main.ts' },
  { file: 'src/portal/__lint_probe_staff__.ts', source: "export { t } from '../staff-text/index.js';", rule: 'portal-imports-no-other-front-end', to: 'src/staff-text/index.ts' },
  { file: 'src/tui/__lint_probe_cli__.ts', source: "export { main } from '../cli/main.js';", rule: 'tui-imports-no-other-front-end', to: 'src/cli/main.ts' },
  { file: 'src/tui/__lint_probe_portal__.ts', source: "export { app } from '../portal/app.js';", rule: 'tui-imports-no-other-front-end', to: 'src/portal/app.ts' },
  {
    file: 'src/cli/commands/__lint_probe_app__.ts',
    source: "export async function f() {\n  return import('../../portal/app.js');\n}",
    rule: 'cli-imports-no-other-front-end',
    to: 'src/portal/app.ts',
  },
  {
    file: 'src/cli/commands/__lint_probe_server__.ts',
    source: "export async function f() {\n  return import('../../portal/server.js');\n}",
    rule: 'cli-loads-portal-and-tui-lazily-from-their-command',
    to: 'src/portal/server.ts',
  },
  { file: 'src/cli/__lint_probe_static_tui__.ts', source: "export { runTui } from '../tui/run.js';", rule: 'cli-loads-portal-and-tui-lazily-from-their-command', to: 'src/tui/run.tsx' },
  { file: 'src/staff-text/__lint_probe__.ts', source: "export { main } from '../cli/main.js';", rule: 'staff-text-imports-no-front-end', to: 'src/cli/main.ts' },
  { file: 'src/core/__lint_probe_portal__.ts', source: "export { app } from '../portal/app.js';", rule: 'core-imports-no-front-end', to: 'src/portal/app.ts' },
  { file: 'src/core/__lint_probe_staff__.ts', source: "export { t } from '../staff-text/index.js';", rule: 'core-imports-no-front-end', to: 'src/staff-text/index.ts' },
  { file: 'src/core/__lint_probe_koa__.ts', source: "export { default } from 'koa';", rule: 'core-imports-no-front-end-package', to: 'node_modules/koa/index.js' },
  {
    file: 'src/core/__lint_probe_nunjucks__.ts',
    source: "export async function f() {\n  return import('nunjucks');\n}",
    rule: 'core-imports-no-front-end-package',
    to: 'node_modules/nunjucks/index.js',
  },
  {
    file: 'src/core/__lint_probe_cycle_a__.ts',
    source: "import { b } from './__lint_probe_cycle_b__.js';\nexport const a = () => b;",
    partner: { 'src/core/__lint_probe_cycle_b__.ts': "import { a } from './__lint_probe_cycle_a__.js';\nexport const b = () => a;" },
    rule: 'no-cycles',
    to: 'src/core/__lint_probe_cycle_b__.ts',
  },
  {
    file: 'src/portal/__lint_probe_types_a__.ts',
    source: "import type { B } from './__lint_probe_types_b__.js';\nexport interface A {\n  b?: B;\n}",
    partner: { 'src/portal/__lint_probe_types_b__.ts': "import type { A } from './__lint_probe_types_a__.js';\nexport interface B {\n  a?: A;\n}" },
    rule: 'no-cycles',
    to: 'src/portal/__lint_probe_types_b__.ts',
  },
  { file: 'src/core/__lint_probe_missing__.ts', source: "export * from './no-such-module.js';", rule: 'no-unresolvable', to: './no-such-module.js' },
];

/** The mail renderer may load nunjucks only lazily: a static import there is flagged too. */
const STATIC_NUNJUCKS = "import nunjucks from 'nunjucks';\nexport async function renderMail() {\n  return nunjucks;\n}";
/** `kosmo serve` must load the portal by dynamic import, not statically. */
const STATIC_SERVE = "import { startPortal } from '../../portal/server.js';\nexport async function serve() {\n  return startPortal;\n}";

interface Violation {
  from: string;
  to: string;
  rule: { name: string };
}

function writeTree(dir: string, files: Record<string, string>): void {
  for (const [path, source] of Object.entries(files)) {
    mkdirSync(dirname(join(dir, path)), { recursive: true });
    writeFileSync(join(dir, path), source + '\n');
  }
}

/** A tree of src/ files plus stand-ins for the koa, ink and nunjucks packages; cruised with the real config. */
function cruise(dir: string, files: Record<string, string>): Violation[] {
  writeTree(dir, {
    'package.json': JSON.stringify({ name: 'probe', type: 'module', dependencies: { koa: '*', ink: '*', nunjucks: '*' } }),
    ...Object.fromEntries(
      ['koa', 'ink', 'nunjucks'].flatMap((p) => [
        [`node_modules/${p}/package.json`, JSON.stringify({ name: p, main: 'index.js' })],
        [`node_modules/${p}/index.js`, 'export default {};'],
      ]),
    ),
    ...files,
  });
  const r = spawnSync(process.execPath, [DEPCRUISE, 'src', '--config', CONFIG, '--output-type', 'json'], { cwd: dir, encoding: 'utf8' });
  if (!r.stdout) throw new Error(`depcruise printed nothing (exit ${r.status}): ${r.stderr}`);
  return (JSON.parse(r.stdout) as { summary: { violations: Violation[] } }).summary.violations;
}

const brief = (vs: Violation[]) => vs.map((v) => `${v.rule.name}: ${v.from} → ${v.to}`).sort();

describe('import rules (.dependency-cruiser.cjs)', () => {
  const dirs: string[] = [];
  const tempDir = () => {
    const dir = mkdtempSync(join(tmpdir(), 'kosmo-lint-'));
    dirs.push(dir);
    return dir;
  };
  let allowed: Violation[];
  let probed: Violation[];
  let staticImports: Violation[];

  beforeAll(() => {
    allowed = cruise(tempDir(), ALLOWED);
    probed = cruise(tempDir(), { ...ALLOWED, ...Object.fromEntries(PROBES.flatMap((p) => [[p.file, p.source], ...Object.entries(p.partner ?? {})])) });
    staticImports = cruise(tempDir(), { ...ALLOWED, 'src/core/mail/render-mail.ts': STATIC_NUNJUCKS, 'src/cli/commands/serve.ts': STATIC_SERVE });
  }, 60_000);
  afterAll(() => {
    for (const dir of dirs) rmSync(dir, { recursive: true, force: true });
  });

  it('accept the allowed layout: adapters through src/core/index.ts, `kosmo serve` / `kosmo tui` loading their front end lazily, nunjucks lazily in the mail renderer', () => {
    expect(brief(allowed)).toEqual([]);
  });

  for (const p of PROBES) {
    it(`${p.rule} flags ${p.file} → ${p.to}`, () => {
      const cycle: Record<string, string> = { [p.file]: p.to, ...Object.fromEntries(Object.keys(p.partner ?? {}).map((f) => [f, p.file])) };
      expect(brief(probed)).toContainEqual(expect.toBeOneOf(Object.entries(cycle).map(([from, to]) => `${p.rule}: ${from} → ${to}`)));
    });
  }

  it('flag nothing but the probes', () => {
    const probeFiles = new Set(PROBES.flatMap((p) => [p.file, ...Object.keys(p.partner ?? {})]));
    expect(brief(probed.filter((v) => !probeFiles.has(v.from)))).toEqual([]);
  });

  it('flag a static import of nunjucks in the mail renderer and of the portal entry in `kosmo serve`', () => {
    expect(brief(staticImports)).toEqual([
      'cli-loads-portal-and-tui-lazily-from-their-command: src/cli/commands/serve.ts → src/portal/server.ts',
      'core-imports-no-front-end-package: src/core/mail/render-mail.ts → node_modules/nunjucks/index.js',
    ]);
  });
});
