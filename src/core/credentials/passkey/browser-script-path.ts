import { existsSync, readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';

const PACKAGE = '@simplewebauthn/browser';
/** The minified UMD build; it defines `window.SimpleWebAuthnBrowser` when loaded by a <script>. */
const BUNDLE = join('dist', 'bundle', 'index.umd.min.js');

let cached: string | undefined;

/**
 * Absolute path of the @simplewebauthn/browser UMD bundle in node_modules, for the portal to
 * serve from its own origin (no CDN: CSP 'self', DESIGN §4 headers). The package's `exports` map
 * does not export `dist/`, so we resolve its entry point and walk up to the package root.
 * Throws (a deployment error) if the bundle is missing.
 */
export function browserScriptPath(): string {
  if (cached !== undefined) return cached;
  const require = createRequire(import.meta.url);
  let dir = dirname(require.resolve(PACKAGE));
  for (;;) {
    const manifest = join(dir, 'package.json');
    if (existsSync(manifest) && (JSON.parse(readFileSync(manifest, 'utf8')) as { name?: unknown }).name === PACKAGE) {
      break;
    }
    const parent = dirname(dir);
    if (parent === dir) throw new Error(`${PACKAGE}: package root not found`);
    dir = parent;
  }
  const bundle = join(dir, BUNDLE);
  if (!existsSync(bundle)) throw new Error(`${PACKAGE}: bundle missing at ${bundle}`);
  cached = bundle;
  return bundle;
}
