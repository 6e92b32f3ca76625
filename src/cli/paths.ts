import { fileURLToPath } from 'node:url';
import { dirname, join } from 'node:path';

/** The package's templates/ folder, found from this file (dist/cli or src/cli). */
export function templatesDir(): string {
  return join(dirname(fileURLToPath(import.meta.url)), '..', '..', 'templates');
}
