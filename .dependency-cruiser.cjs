/**
 * Import rules of KOSMO's layers (docs/architecture.md, DESIGN.md §2), checked by `npm run lint`
 * (`npm run lint:deps` alone). The violations of one rule, one per line:
 *   npx depcruise src --output-type err | grep RULE-NAME
 *
 * Every path is relative to the directory depcruise runs in (the repository root), so the same
 * file also checks the throwaway trees of test/lint/boundaries.test.ts.
 */

/** Front ends and adapters: everything that talks to the core from outside. */
const FRONT_ENDS = '^src/(portal|cli|tui|staff-text)/';

/** Packages that belong to a front end and never to the core (and their type packages). */
const FRONT_END_PACKAGES = '(^|/)node_modules/(@types/)?(koa|koa-[^/]+|@koa/[^/]+|koa__[^/]+|ink|ink-[^/]+|react|react-[^/]+|commander|nunjucks)/';
const NUNJUCKS = '(^|/)node_modules/(@types/)?nunjucks/';

/** The one core file that renders with nunjucks, through a lazy `import()` (docs/mail.md). */
const MAIL_RENDERER = '^src/core/mail/render-mail\\.ts$';

/** @type {import('dependency-cruiser').IConfiguration} */
module.exports = {
  forbidden: [
    // (a) no import cycles anywhere in src/ (type-only imports included: a cycle of types is
    // still two modules that cannot be understood apart).
    {
      name: 'no-cycles',
      severity: 'error',
      comment: 'Import cycle. Move the shared part into its own module that both import.',
      from: { path: '^src/' },
      to: { circular: true },
    },

    // (b) front ends never import each other. The CLI starts the other two, each through exactly
    // one entry module loaded by dynamic import() (DESIGN.md §2: `kosmo --help` stays fast).
    {
      name: 'portal-imports-no-other-front-end',
      severity: 'error',
      comment: 'The portal is for members: it never imports the CLI, the TUI or staff text.',
      from: { path: '^src/portal/' },
      to: { path: '^src/(cli|tui|staff-text)/' },
    },
    {
      name: 'tui-imports-no-other-front-end',
      severity: 'error',
      comment: 'The TUI never imports the CLI or the portal (shared staff text lives in src/staff-text).',
      from: { path: '^src/tui/' },
      to: { path: '^src/(cli|portal)/' },
    },
    {
      name: 'cli-imports-no-other-front-end',
      severity: 'error',
      comment:
        'The CLI never imports the portal or the TUI, except `kosmo serve` (src/cli/commands/serve.ts → src/portal/server.ts) ' +
        'and `kosmo tui` (src/cli/commands/tui.ts → src/tui/run.tsx), each by dynamic import().',
      from: { path: '^src/cli/' },
      to: {
        path: '^src/(portal|tui)/',
        pathNot: ['^src/portal/server\\.ts$', '^src/tui/run\\.tsx$'],
      },
    },
    {
      name: 'cli-loads-portal-and-tui-lazily-from-their-command',
      severity: 'error',
      comment: 'src/portal/server.ts and src/tui/run.tsx are loaded by dynamic import() only (a type-only import is erased and allowed).',
      from: { path: '^src/cli/' },
      to: {
        path: '^src/(portal/server\\.ts|tui/run\\.tsx)$',
        dependencyTypesNot: ['dynamic-import', 'type-only', 'type-import'],
      },
    },
    {
      name: 'cli-loads-portal-and-tui-lazily-from-their-command',
      severity: 'error',
      comment: 'Only `kosmo serve` loads the portal entry.',
      from: { path: '^src/cli/', pathNot: '^src/cli/commands/serve\\.ts$' },
      to: { path: '^src/portal/server\\.ts$' },
    },
    {
      name: 'cli-loads-portal-and-tui-lazily-from-their-command',
      severity: 'error',
      comment: 'Only `kosmo tui` loads the TUI entry.',
      from: { path: '^src/cli/', pathNot: '^src/cli/commands/tui\\.ts$' },
      to: { path: '^src/tui/run\\.tsx$' },
    },
    {
      name: 'staff-text-imports-no-front-end',
      severity: 'error',
      comment: 'Staff text is shared by the CLI and the TUI, so it imports neither (nor the portal).',
      from: { path: '^src/staff-text/' },
      to: { path: '^src/(portal|cli|tui)/' },
    },

    // (c) the core imports no front end and none of their packages.
    {
      name: 'core-imports-no-front-end',
      severity: 'error',
      comment: 'The core is the domain: it never imports the portal, the CLI, the TUI or staff text.',
      from: { path: '^src/core/' },
      to: { path: FRONT_ENDS },
    },
    {
      name: 'core-imports-no-front-end-package',
      severity: 'error',
      comment: 'The core never imports koa, ink, react, commander or nunjucks (DESIGN.md §2).',
      from: { path: '^src/core/', pathNot: MAIL_RENDERER },
      to: { path: FRONT_END_PACKAGES },
    },
    {
      name: 'core-imports-no-front-end-package',
      severity: 'error',
      comment:
        'The one exception: src/core/mail/render-mail.ts renders mail bodies with nunjucks, loaded by dynamic import() ' +
        '(docs/mail.md). Any other front-end package, or a static import of nunjucks, is forbidden there too.',
      from: { path: MAIL_RENDERER },
      to: { path: FRONT_END_PACKAGES, pathNot: NUNJUCKS },
    },
    {
      name: 'core-imports-no-front-end-package',
      severity: 'error',
      comment: 'src/core/mail/render-mail.ts loads nunjucks only by dynamic import().',
      from: { path: MAIL_RENDERER },
      to: { path: NUNJUCKS, dependencyTypesNot: ['dynamic-import'] },
    },

    // (d) adapters reach the core only through its public index.
    {
      name: 'adapters-use-core-public-index',
      severity: 'error',
      comment: 'Portal, CLI, TUI and staff text import the core only from src/core/index.ts, never a deep path (DESIGN.md §2).',
      from: { path: FRONT_ENDS },
      to: { path: '^src/core/', pathNot: '^src/core/index\\.ts$' },
    },

    // A guard for the rules above: an import the cruiser cannot resolve would slip past all of them.
    {
      name: 'no-unresolvable',
      severity: 'error',
      comment: 'This import cannot be resolved to a file, so no rule above could check it.',
      from: { path: '^src/' },
      to: { couldNotResolve: true },
    },
  ],
  options: {
    doNotFollow: { path: 'node_modules' },
    // Not node_modules: excluding it would hide the imports of packages that the rules check.
    exclude: { path: '^dist/' },
    // Include `import type …`: types cross the same boundaries as values.
    tsPreCompilationDeps: true,
    moduleSystems: ['es6'],
    enhancedResolveOptions: {
      exportsFields: ['exports'],
      conditionNames: ['import', 'node', 'default', 'types'],
      mainFields: ['module', 'main', 'types', 'typings'],
      extensions: ['.ts', '.tsx', '.js', '.mjs', '.cjs', '.d.ts'],
    },
    skipAnalysisNotInRules: true,
  },
};
