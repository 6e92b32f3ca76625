import { MailMessage, OneTimeToken } from '../../../src/core/db/entities/index.js';
import type { TestCore } from '../../support/core.js';

export const BASE_URL = 'https://portal.example.jp';

/** The mails queued so far for `kind` (bodies are kept until the worker sends them). */
export async function queued(t: TestCore, kind: string): Promise<{ to: string; text: string; html: string | null }[]> {
  const rows = await t.core.db
    .em()
    .fork()
    .find(MailMessage, { kind }, { orderBy: { id: 'asc' } });
  return rows.map((r) => ({ to: r.toAddress, text: r.bodyText, html: r.bodyHtml ?? null }));
}

/** The token of the newest reset mail to `to` (the link is the one secret of that mail). */
export async function lastResetToken(t: TestCore, to?: string): Promise<string> {
  const mails = (await queued(t, 'password-reset')).filter((m) => !to || m.to === to);
  const m = /\/password\/reset\/([A-Za-z0-9_-]{43})\s/.exec(mails.at(-1)?.text ?? '');
  if (!m) throw new Error('no reset mail queued');
  return m[1]!;
}

export async function tokenRows(t: TestCore) {
  return t.core.db
    .em()
    .fork()
    .find(OneTimeToken, { purpose: 'password_reset' }, { orderBy: { id: 'asc' } });
}
