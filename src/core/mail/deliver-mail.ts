import { MailMessage, Society, type MailMessageRow, type SocietyRow } from '../db/entities/index.js';
import type { CoreContext } from '../context.js';
import type { MailTransport } from './transport.js';
import { smtpUrlSecrets } from './transport.js';

/** After this many attempts a mail is given up (status `failed`). */
export const MAX_ATTEMPTS = 10;
/** First retry delay; doubles per failed attempt, capped at BACKOFF_MAX_MS. */
export const BACKOFF_BASE_MS = 30_000;
export const BACKOFF_MAX_MS = 60 * 60_000;
/**
 * How long a claimed mail is reserved for the worker that claimed it. Longer than any one SMTP
 * exchange can last (see SMTP_TIMEOUTS), so a live worker never loses its claim; after a crash the
 * mail becomes due again once the lease has run out.
 */
export const CLAIM_LEASE_MS = 15 * 60_000;
/** What stays in bodyText/bodyHtml once the mail has left (it may have carried a secret). */
export const SENT_PLACEHOLDER = '(送信済み)';
export const FAILED_PLACEHOLDER = '(送信失敗のため削除)';

export interface DeliveryResult {
  sent: number;
  /** Given up on in this run (status now `failed`). */
  failed: number;
  /** Failed this time, scheduled again with back-off. */
  retried: number;
}

/** Delay before the attempt after `attempts` failed ones: 30 s, 1 min, 2 min … at most 1 h. */
export function backoffMs(attempts: number): number {
  return Math.min(BACKOFF_BASE_MS * 2 ** Math.max(0, attempts - 1), BACKOFF_MAX_MS);
}

/**
 * Sends the mails that are due (`pending`, nextAttemptAt ≤ now), oldest first.
 *
 * Safe to run from several processes at once. Each mail is claimed with one atomic compare-and-set
 * `UPDATE … SET attempts = n+1, next_attempt_at = now + lease WHERE id = ? AND status = 'pending'
 * AND attempts = n`: exactly one worker's update matches, and the attempt counter doubles as a
 * fencing token for the final update. A mail is therefore handed to the transport once per claim.
 *
 * Exactly-once window: if the process dies after the SMTP server accepted a mail but before the
 * row is marked sent, the lease runs out and the mail is sent again — with the same Message-ID, so
 * a receiving system can recognise the duplicate. The outbox transport closes even that window (an
 * existing .eml of the same mail counts as delivered).
 */
export async function deliverPendingMail(core: CoreContext, transport: MailTransport, options: { limit?: number } = {}): Promise<DeliveryResult> {
  const limit = options.limit ?? 20;
  const result: DeliveryResult = { sent: 0, failed: 0, retried: 0 };
  const em = core.db.em();
  const due = await em.find(MailMessage, { status: 'pending', nextAttemptAt: { $lte: core.clock.now() } }, { orderBy: { nextAttemptAt: 'asc', id: 'asc' }, limit });
  if (due.length === 0) return result;

  const societyIds = [...new Set(due.map((m) => societyIdOf(m)))];
  const societies = new Map<number, SocietyRow>((await em.find(Society, { id: { $in: societyIds } })).map((s) => [s.id, s]));

  for (const mail of due) {
    const outcome = await deliverOne(core, transport, mail, societies.get(societyIdOf(mail))!);
    if (outcome !== 'skipped') result[outcome]++;
  }
  return result;
}

function societyIdOf(mail: MailMessageRow): number {
  return (mail.society as unknown as { id: number }).id;
}

async function deliverOne(core: CoreContext, transport: MailTransport, mail: MailMessageRow, society: SocietyRow): Promise<keyof DeliveryResult | 'skipped'> {
  const seen = mail.attempts;
  const claimed = seen + 1;

  // A mail whose last attempt died with its worker, and that has no attempt left.
  if (seen >= MAX_ATTEMPTS) {
    const n = await update(core, mail.id, seen, {
      status: 'failed',
      lastError: mail.lastError ?? 'worker stopped during the last attempt',
      bodyText: FAILED_PLACEHOLDER,
      bodyHtml: mail.bodyHtml == null ? null : FAILED_PLACEHOLDER,
    });
    return n === 1 ? 'failed' : 'skipped';
  }

  const claim = await update(core, mail.id, seen, { attempts: claimed, nextAttemptAt: new Date(core.clock.now().getTime() + CLAIM_LEASE_MS) });
  if (claim !== 1) return 'skipped'; // another worker has it

  let info: { messageId: string };
  try {
    info = await transport.send({
      id: mail.id,
      kind: mail.kind,
      from: { name: society.name, address: society.settings.mailFrom },
      to: mail.toAddress,
      subject: mail.subject,
      text: mail.bodyText,
      html: mail.bodyHtml ?? null,
      messageId: mail.messageId ?? `<kosmo-mail-${mail.id}@kosmo.invalid>`,
      date: core.clock.now(),
    });
  } catch (err) {
    const lastError = describeError(err, core.config.smtpUrl);
    if (claimed >= MAX_ATTEMPTS) {
      await update(core, mail.id, claimed, {
        status: 'failed',
        lastError,
        bodyText: FAILED_PLACEHOLDER,
        bodyHtml: mail.bodyHtml == null ? null : FAILED_PLACEHOLDER,
      });
      return 'failed';
    }
    await update(core, mail.id, claimed, { lastError, nextAttemptAt: new Date(core.clock.now().getTime() + backoffMs(claimed)) });
    return 'retried';
  }
  // Outside the try: a database error here must not be taken for a send failure (that would
  // schedule a second send of a mail that left). It propagates; the lease expiry is the fallback.
  await update(core, mail.id, claimed, {
    status: 'sent',
    sentAt: core.clock.now(),
    messageId: info.messageId.slice(0, 255),
    lastError: null,
    bodyText: SENT_PLACEHOLDER,
    bodyHtml: mail.bodyHtml == null ? null : SENT_PLACEHOLDER,
  });
  // If that update matched nothing, the lease ran out mid-send and another worker has the mail
  // now: it was sent all the same.
  return 'sent';
}

/** Compare-and-set on (id, status pending, attempts): the number of rows changed, 0 or 1. */
async function update(core: CoreContext, id: number, attempts: number, data: Partial<Record<keyof MailMessageRow, unknown>>): Promise<number> {
  return core.db.em().nativeUpdate(MailMessage, { id, status: 'pending', attempts }, data as never);
}

/**
 * A short, safe description of a send failure: the error code, the SMTP reply code and the first
 * line of the reply. Mail bodies never appear in transport errors; the SMTP credentials are
 * scrubbed in case a server echoes them.
 */
export function describeError(err: unknown, smtpUrl: string | null): string {
  const e = (err ?? {}) as { code?: unknown; responseCode?: unknown; response?: unknown; message?: unknown };
  const firstLine = String(e.response ?? e.message ?? err).split(/\r?\n/)[0] ?? '';
  const reply = typeof e.responseCode === 'number' && !firstLine.startsWith(String(e.responseCode)) ? String(e.responseCode) : null;
  let text = [typeof e.code === 'string' ? e.code : null, reply, firstLine].filter((s): s is string => !!s).join(' ');
  for (const secret of smtpUrlSecrets(smtpUrl)) text = text.split(secret).join('***');
  return text.slice(0, 500) || 'unknown error';
}
