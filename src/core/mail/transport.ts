import { chmod, link, mkdir, unlink, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { randomBytes } from 'node:crypto';
import type { Transporter } from 'nodemailer';
import type { KosmoConfig } from '../config.js';

/** One mail as the worker hands it to a transport. */
export interface OutgoingMail {
  /** The MailMessage row id (names the outbox file). */
  id: number;
  kind: string;
  from: { name: string; address: string };
  to: string;
  subject: string;
  text: string;
  html: string | null;
  /** `<…@…>`, fixed at enqueue time so a retried mail keeps its Message-ID. */
  messageId: string;
  date: Date;
}

export interface SendResult {
  messageId: string;
  /** The SMTP server's answer, or the outbox file written. */
  response: string;
}

export interface MailTransport {
  readonly kind: 'smtp' | 'outbox';
  /** For logs and `kosmo serve`'s banner: never a credential. */
  readonly description: string;
  /** Resolves once the mail server accepted the mail (or the file is in the outbox). */
  send(mail: OutgoingMail): Promise<SendResult>;
  close(): void;
}

/** Bounds on one SMTP exchange, so a hung server cannot hold a mail past its lease. */
export const SMTP_TIMEOUTS = { connectionTimeout: 30_000, greetingTimeout: 30_000, socketTimeout: 60_000, dnsTimeout: 30_000 };

export function outboxDir(config: Pick<KosmoConfig, 'dataDir'>): string {
  return join(config.dataDir, 'outbox');
}

/**
 * SMTP when `config.smtpUrl` is set (smtp:// or smtps://, credentials in the URL); otherwise the
 * embedded default: each mail written as an RFC 5322 `.eml` file to `<dataDir>/outbox/`.
 */
export function createMailTransport(config: Pick<KosmoConfig, 'smtpUrl' | 'dataDir'>): MailTransport {
  return config.smtpUrl ? smtpTransport(config.smtpUrl) : outboxTransport(outboxDir(config));
}

function messageOptions(mail: OutgoingMail) {
  return {
    from: { name: mail.from.name, address: mail.from.address },
    to: mail.to,
    subject: mail.subject,
    text: mail.text,
    ...(mail.html !== null ? { html: mail.html } : {}),
    messageId: mail.messageId,
    date: mail.date,
    headers: { 'Auto-Submitted': 'auto-generated', 'X-Kosmo-Mail-Kind': mail.kind },
  };
}

/** The URL without user, password, query or fragment. */
export function redactSmtpUrl(url: string): string {
  try {
    const u = new URL(url);
    return `${u.protocol}//${u.hostname}${u.port ? `:${u.port}` : ''}`;
  } catch {
    return 'smtp://(invalid)';
  }
}

/** The credentials of an SMTP URL, so error texts can be scrubbed of them. */
export function smtpUrlSecrets(url: string | null): string[] {
  if (!url) return [];
  try {
    const u = new URL(url);
    return [u.password, decodeURIComponent(u.password)].filter((s) => s.length >= 3);
  } catch {
    return [];
  }
}

/**
 * A nodemailer transporter made on the first mail: nodemailer is loaded only then, so the portal
 * starts without it (issue 10, memory). close() closes it if it was ever made.
 */
function lazyTransporter(options: Parameters<typeof import('nodemailer').createTransport>[0]) {
  let made: Promise<Transporter> | null = null;
  return {
    get: () => (made ??= import('nodemailer').then(({ createTransport }) => createTransport(options))),
    close: () => void made?.then((t) => t.close()).catch(() => undefined),
  };
}

function smtpTransport(url: string): MailTransport {
  // Not pooled: each mail gets its own connection, so a server restart never strands a batch on a
  // dead pooled socket, and close() has nothing to drain.
  const transporter = lazyTransporter({ url, ...SMTP_TIMEOUTS });
  return {
    kind: 'smtp',
    description: redactSmtpUrl(url),
    async send(mail) {
      const info = await (await transporter.get()).sendMail(messageOptions(mail));
      return { messageId: info.messageId || mail.messageId, response: String(info.response ?? '') };
    },
    close() {
      transporter.close();
    },
  };
}

function outboxTransport(dir: string): MailTransport {
  const builder = lazyTransporter({ streamTransport: true, buffer: true, newline: 'windows' });
  return {
    kind: 'outbox',
    description: `outbox:${dir}`,
    async send(mail) {
      const info = await (await builder.get()).sendMail(messageOptions(mail));
      const message = info.message as Buffer;
      await mkdir(dir, { recursive: true, mode: 0o700 });
      const file = join(dir, outboxFileName(mail.id, mail.kind, mail.messageId));
      // Write a private temp file, then link it into place: the .eml appears whole or not at all,
      // and never overwrites. An existing file means this very mail (same row, same Message-ID) was
      // already written by an attempt whose success was not recorded: nothing to do again.
      const tmp = join(dir, `.${randomBytes(8).toString('hex')}.tmp`);
      await writeFile(tmp, message, { mode: 0o600, flag: 'wx' });
      try {
        await chmod(tmp, 0o600);
        await link(tmp, file).catch((e: NodeJS.ErrnoException) => {
          if (e.code !== 'EEXIST') throw e;
        });
      } finally {
        await unlink(tmp).catch(() => undefined);
      }
      return { messageId: mail.messageId, response: file };
    },
    close() {
      builder.close();
    },
  };
}

/** `<id>-<kind>-<random part of the Message-ID>.eml`: sorted by id, unique per mail. */
export function outboxFileName(id: number, kind: string, messageId: string): string {
  const local = messageId
    .replace(/^</, '')
    .replace(/@.*$/, '')
    .replace(/[^A-Za-z0-9._-]/g, '');
  const safeKind = kind.replace(/[^A-Za-z0-9_-]/g, '');
  return `${String(id).padStart(6, '0')}-${safeKind}-${local}.eml`;
}
