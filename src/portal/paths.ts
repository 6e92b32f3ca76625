import { fileURLToPath } from 'node:url';
import { dirname, join } from 'node:path';

/** templates/portal, found from this file (works from src/portal under vitest and dist/portal). */
export function portalTemplatesDir(): string {
  return join(dirname(fileURLToPath(import.meta.url)), '..', '..', 'templates', 'portal');
}
