import { defineEntity, p } from '@mikro-orm/core';
import { Society } from './society.entity.js';

export type MailStatus = 'pending' | 'sent' | 'failed';

/**
 * An outgoing mail, queued in the same transaction as the change that causes it and delivered by
 * the worker. `body*` may carry the one secret the mail exists to carry; it is cleared once sent.
 */
export const MailMessage = defineEntity({
  name: 'MailMessage',
  tableName: 'mail_message',
  properties: {
    id: p.integer().primary(),
    society: () => p.manyToOne(Society).index(),
    memberId: p.integer().nullable(),
    kind: p.string().length(64),
    toAddress: p.string().length(255),
    subject: p.string().length(255),
    bodyText: p.text(),
    bodyHtml: p.text().nullable(),
    status: p.string().length(16).$type<MailStatus>().index(),
    attempts: p.integer(),
    nextAttemptAt: p.datetime(),
    lastError: p.string().length(500).nullable(),
    messageId: p.string().length(255).nullable(),
    createdAt: p.datetime(),
    sentAt: p.datetime().nullable(),
  },
});
export type MailMessageRow = InstanceType<typeof MailMessage.class>;
