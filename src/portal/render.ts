import nunjucks from 'nunjucks';
import { portalTemplatesDir } from './paths.js';

export interface Renderer {
  render(name: string, vars: Record<string, unknown>): string;
}

/**
 * nunjucks with autoescape on (ASVS 1.2.1: output encoding by default); `| safe` is never used on
 * member or staff text. Templates are cached after the first render.
 */
export function createRenderer(dir: string = portalTemplatesDir()): Renderer {
  const env = new nunjucks.Environment(new nunjucks.FileSystemLoader(dir, { noCache: false }), {
    autoescape: true,
    throwOnUndefined: false,
    trimBlocks: true,
    lstripBlocks: true,
  });
  return { render: (name, vars) => env.render(name, vars) };
}
