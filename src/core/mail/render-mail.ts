import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { prepareVars, type MailTemplateName } from './templates.js';

export interface RenderedMail {
  subject: string;
  text: string;
  html: string;
}

/** The package's templates/mail folder, found from this file (src/core/mail or dist/core/mail). */
export function mailTemplatesDir(): string {
  return join(dirname(fileURLToPath(import.meta.url)), '..', '..', '..', 'templates', 'mail');
}

/** What rendering needs of a template engine environment. */
interface TemplateEnvironment {
  render(name: string, context: object): string;
}

interface Envs {
  text: TemplateEnvironment;
  html: TemplateEnvironment;
}
let envs: Promise<Envs> | null = null;

/**
 * Mail bodies are data the core produces in the transaction that causes them, so they render here.
 * DESIGN.md §2 keeps nunjucks out of the core as the portal's view layer; for mail it is only a
 * text-template engine, loaded lazily through `import()` (decision recorded in docs/mail.md).
 *
 * Two nunjucks environments over templates/mail: the HTML one escapes every variable, the text one
 * (also used for subjects) does not. Loaded on first use, so commands that never render a mail
 * do not pay for nunjucks.
 */
function environments(): Promise<Envs> {
  envs ??= (async () => {
    const mod = await import('nunjucks');
    const nunjucks = ((mod as unknown as { default?: typeof mod }).default ?? mod) as typeof mod;
    const make = (autoescape: boolean) =>
      new nunjucks.Environment(new nunjucks.FileSystemLoader(mailTemplatesDir(), { noCache: false }), {
        autoescape,
        throwOnUndefined: true,
        trimBlocks: true,
        lstripBlocks: true,
      });
    return { text: make(false), html: make(true) };
  })();
  return envs;
}

/** Renders subject, text and HTML of one template. Throws TypeError on a bad variable. */
export async function renderMail(template: MailTemplateName, vars: Record<string, unknown>): Promise<RenderedMail> {
  const context = prepareVars(template, vars);
  const { text, html } = await environments();
  const subject = text
    .render(`${template}.subject.njk`, context)
    .replace(/\s*[\r\n]+\s*/g, ' ')
    .trim();
  const body = normalizeText(text.render(`${template}.text.njk`, context));
  const htmlBody = html.render(`${template}.html.njk`, context);
  if (subject.length === 0 || subject.length > 255) throw new TypeError(`mail template ${template}: subject must be 1–255 characters`);
  return { subject, text: body, html: htmlBody };
}

/** Trailing spaces off, at most one blank line in a row, one final newline. */
function normalizeText(s: string): string {
  return (
    s
      .replace(/[ \t]+$/gm, '')
      .replace(/\n{3,}/g, '\n\n')
      .trim() + '\n'
  );
}
