import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { MailMessage, type MailMessageRow, type MailStatus } from '../db/entities/index.js';
import type { CoreContext } from '../context.js';
import { KosmoError } from '../errors.js';
import { outboxDir, outboxFileName } from './transport.js';
import { FAILED_PLACEHOLDER, SENT_PLACEHOLDER } from './deliver-mail.js';

/** One queued or sent mail, as `kosmo mail list` shows it. */
export interface MailView {
  id: number;
  kind: string;
  memberId: number | null;
  to: string;
  subject: string;
  status: MailStatus;
  attempts: number;
  /** When the next attempt is due; null once sent or failed. */
  nextAttemptAt: Date | null;
  lastError: string | null;
  messageId: string | null;
  createdAt: Date;
  sentAt: Date | null;
}

/** `kosmo mail show <id>`: the view plus the bodies. */
export interface MailDetail extends MailView {
  bodyText: string;
  bodyHtml: string | null;
  /** The bodies were cleared after sending or giving up (they may have carried a secret). */
  bodyCleared: boolean;
  /** The .eml written by the outbox transport, when it is in `<dataDir>/outbox/`. */
  outboxFile: string | null;
}

export interface ListMailOptions {
  status?: MailStatus | MailStatus[];
  /** Default 50, at most 1000. */
  limit?: number;
}

/** The society's mails, newest first. */
export async function listMail(core: CoreContext, societyId: number, options: ListMailOptions = {}): Promise<MailView[]> {
  const limit = Math.min(Math.max(1, Math.trunc(options.limit ?? 50)), 1000);
  const where: Record<string, unknown> = { society: societyId };
  if (options.status !== undefined) {
    const statuses = Array.isArray(options.status) ? options.status : [options.status];
    where.status = { $in: statuses };
  }
  const rows = await core.db.em().find(MailMessage, where as never, { orderBy: { id: 'desc' }, limit });
  return rows.map(toView);
}

export async function showMail(core: CoreContext, societyId: number, id: number): Promise<MailDetail> {
  if (!Number.isSafeInteger(id) || id <= 0) throw new KosmoError('NOT_FOUND', { what: 'mail', id });
  const row = await core.db.em().findOne(MailMessage, { id, society: societyId });
  if (!row) throw new KosmoError('NOT_FOUND', { what: 'mail', id });
  let outboxFile: string | null = null;
  if (row.messageId) {
    const file = join(outboxDir(core.config), outboxFileName(row.id, row.kind, row.messageId));
    if (existsSync(file)) outboxFile = file;
  }
  return {
    ...toView(row),
    bodyText: row.bodyText,
    bodyHtml: row.bodyHtml ?? null,
    bodyCleared: row.bodyText === SENT_PLACEHOLDER || row.bodyText === FAILED_PLACEHOLDER,
    outboxFile,
  };
}

function toView(row: MailMessageRow): MailView {
  return {
    id: row.id,
    kind: row.kind,
    memberId: row.memberId ?? null,
    to: row.toAddress,
    subject: row.subject,
    status: row.status,
    attempts: row.attempts,
    nextAttemptAt: row.status === 'pending' ? row.nextAttemptAt : null,
    lastError: row.lastError ?? null,
    messageId: row.messageId ?? null,
    createdAt: row.createdAt,
    sentAt: row.sentAt ?? null,
  };
}
