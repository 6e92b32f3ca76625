// Queueing a mail (enqueueMail, ./enqueue-mail.js) is the use cases' business, inside their
// transaction: it is not part of what the front ends see.
export {
  deliverPendingMail,
  backoffMs,
  describeError,
  MAX_ATTEMPTS,
  BACKOFF_BASE_MS,
  BACKOFF_MAX_MS,
  CLAIM_LEASE_MS,
  SENT_PLACEHOLDER,
  FAILED_PLACEHOLDER,
  type DeliveryResult,
} from './deliver-mail.js';
export { startMailWorker, type MailWorker, type MailWorkerOptions } from './mail-worker.js';
export { createMailTransport, outboxDir, outboxFileName, redactSmtpUrl, SMTP_TIMEOUTS, type MailTransport, type OutgoingMail, type SendResult } from './transport.js';
export { listMail, showMail, type MailView, type MailDetail, type ListMailOptions } from './list-mail.js';
export { mailQueueDepth, type MailQueueDepth } from './mail-queue-depth.js';
export { renderMail, mailTemplatesDir, type RenderedMail } from './render-mail.js';
export { MAIL_TEMPLATES, isMailTemplateName, type MailTemplateName, type MailTemplateVars, type CommonMailVars } from './templates.js';
