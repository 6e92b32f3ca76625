import { mailTimeJapan } from '../util/japan-time.js';
import type { EntityManager } from '@mikro-orm/sql';
import { MailMessage, Society, type MailMessageRow } from '../db/entities/index.js';
import type { CoreContext } from '../context.js';
import { KosmoError } from '../errors.js';
import { renderMail } from './render-mail.js';
import type { CommonMailVars, MailTemplateName, MailTemplateVars } from './templates.js';

export interface EnqueueMailInput<T extends MailTemplateName = MailTemplateName> {
  societyId: number;
  memberId?: number | null;
  /** What the mail is about, for `kosmo mail list` (e.g. `password-reset`). Default: the template name. */
  kind?: string;
  to: string;
  template: T;
  vars: MailTemplateVars[T] & CommonMailVars;
}

/**
 * Renders a mail and adds it, status `pending`, to the caller's unit of work: it is committed (or
 * rolled back) together with the change that causes it, and sent later by the worker. The caller
 * flushes. The row's Message-ID is fixed here, so every delivery attempt of this mail carries the
 * same one.
 */
export async function enqueueMail<T extends MailTemplateName>(em: EntityManager, core: CoreContext, input: EnqueueMailInput<T>): Promise<MailMessageRow> {
  const to = input.to.trim();
  // One plain address: no display name, no list, no header injection.
  if (to.length === 0 || to.length > 255 || /[\s<>,;"\\]/.test(to) || !/^[^@]+@[^@]+$/.test(to)) {
    throw new KosmoError('EMAIL_INVALID', { reason: 'SINGLE_ADDRESS' });
  }
  const society = await em.findOne(Society, { id: input.societyId });
  if (!society) throw new KosmoError('SOCIETY_NOT_FOUND', { id: input.societyId });

  const now = core.clock.now();
  const vars: Record<string, unknown> = {
    societyName: society.name,
    contact: society.settings.contact ?? '',
    portalUrl: society.settings.publicUrl ?? null,
    occurredAt: mailTimeJapan(now),
    ...stripUndefined(input.vars as Record<string, unknown>),
  };
  const rendered = await renderMail(input.template, vars);

  return em.create(MailMessage, {
    society: society.id,
    memberId: input.memberId ?? null,
    kind: (input.kind ?? input.template).slice(0, 64),
    toAddress: to,
    subject: rendered.subject,
    bodyText: rendered.text,
    bodyHtml: rendered.html,
    status: 'pending',
    attempts: 0,
    nextAttemptAt: now,
    lastError: null,
    messageId: newMessageId(core, society.settings.mailFrom),
    createdAt: now,
    sentAt: null,
  });
}

function newMessageId(core: CoreContext, mailFrom: string): string {
  const domain = (mailFrom.split('@')[1] ?? '').replace(/[^A-Za-z0-9.-]/g, '') || 'kosmo.invalid';
  return `<${core.random.bytes(16).toString('hex')}@${domain}>`;
}

function stripUndefined(vars: Record<string, unknown>): Record<string, unknown> {
  return Object.fromEntries(Object.entries(vars).filter(([, v]) => v !== undefined));
}
