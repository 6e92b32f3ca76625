import nunjucks from 'nunjucks';
import { portalTemplatesDir } from './paths.js';

export interface Renderer {
  render(name: string, vars: Record<string, unknown>): string;
}

/**
 * nunjucks with autoescape on (ASVS 1.2.1: output encoding by default); `| safe` is never used on
 * member or staff text. Templates are compiled on first use and kept.
 */
export function createRenderer(dir: string = portalTemplatesDir()): Renderer {
  const env = new nunjucks.Environment(new nunjucks.FileSystemLoader(dir, { noCache: false }), {
    autoescape: true,
    throwOnUndefined: false,
    trimBlocks: true,
    lstripBlocks: true,
  });
  // Each page's compiled template, looked up once: `env.render` resolves the name through the
  // loaders on every call, a twentieth of a page view's CPU.
  const templates = new Map<string, nunjucks.Template>();
  return {
    render: (name, vars) => {
      let template = templates.get(name);
      if (!template) {
        template = env.getTemplate(name, true);
        templates.set(name, template);
      }
      return template.render(vars);
    },
  };
}
