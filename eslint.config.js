// ESLint for the whole repository: src/, test/, scripts/, bin/ and the portal's browser assets
// (`npm run lint`, docs/architecture.md). The recommended rule sets of ESLint, typescript-eslint
// (syntax only: the type-aware set costs a full type check, 20 s and more on two cores, and
// `npm run typecheck` does that in CI) and React's rules of hooks for the Ink TUI.
import js from '@eslint/js';
import reactHooks from 'eslint-plugin-react-hooks';
import globals from 'globals';
import tseslint from 'typescript-eslint';

export default tseslint.config(
  { ignores: ['dist/', 'node_modules/', 'coverage/', 'test-output/', 'kosmo-data/'] },
  js.configs.recommended,
  tseslint.configs.recommended,
  {
    languageOptions: { globals: globals.node },
    linterOptions: { reportUnusedDisableDirectives: 'error' },
    rules: {
      // `_`-prefixed names are deliberately unused (placeholders in signatures and destructuring).
      '@typescript-eslint/no-unused-vars': [
        'error',
        { argsIgnorePattern: '^_', varsIgnorePattern: '^_', caughtErrorsIgnorePattern: '^_', destructuredArrayIgnorePattern: '^_', ignoreRestSiblings: true },
      ],
    },
  },
  {
    // Tests poke at untyped JSON (CLI --json output, WebAuthn responses, browser objects).
    files: ['test/**'],
    rules: { '@typescript-eslint/no-explicit-any': 'off' },
  },
  {
    files: ['src/tui/**/*.tsx', 'test/tui/**/*.tsx'],
    plugins: { 'react-hooks': reactHooks },
    rules: {
      'react-hooks/rules-of-hooks': 'error',
      'react-hooks/exhaustive-deps': 'error',
    },
  },
  {
    // Scripts that run inside the portal's pages: its assets and the e2e suite's page fixtures.
    files: ['templates/portal/assets/**/*.js', 'test/e2e/fixtures/**/*.js'],
    languageOptions: { globals: globals.browser },
  },
  {
    // Node scripts that hand callbacks to page.evaluate(), which run in the browser.
    files: ['scripts/screenshots.mjs'],
    languageOptions: { globals: { ...globals.node, ...globals.browser } },
  },
);
