import { SMTPServer, type SMTPServerOptions } from 'smtp-server';
import type { AddressInfo } from 'node:net';

/**
 * A real SMTP server on 127.0.0.1 for mail tests (smtp-server). It records every message it
 * accepts, can be told to answer DATA with a temporary failure, to be slow, and can be stopped and
 * started again on the same port (an outage).
 */
export interface ReceivedMail {
  envelopeFrom: string;
  envelopeTo: string[];
  raw: string;
  parsed: ParsedMail;
}

export interface TestSmtpServer {
  readonly port: number;
  /** smtp://user:pass@127.0.0.1:port — the server requires these credentials. */
  readonly url: string;
  readonly user: string;
  readonly pass: string;
  /** Accepted messages, in order. */
  readonly received: ReceivedMail[];
  /** DATA commands seen (accepted or rejected): how often a client tried. */
  readonly dataAttempts: number;
  /** From now on answer DATA with this code and text (e.g. 451), or accept again with null. */
  reject(code: number | null, message?: string): void;
  /** Delay before answering DATA, in ms. */
  setDelay(ms: number): void;
  /** Run when a DATA command starts (before the delay). */
  onDataStart(fn: (() => void) | null): void;
  stop(): Promise<void>;
  /** Listen again on the same port. */
  start(): Promise<void>;
  /** Deliveries per Message-ID. */
  countByMessageId(): Map<string, number>;
  close(): Promise<void>;
}

export async function startSmtpServer(): Promise<TestSmtpServer> {
  const user = 'kosmo';
  const pass = 'p@ss word';
  const received: ReceivedMail[] = [];
  let dataAttempts = 0;
  let rejectWith: { code: number; message: string } | null = null;
  let delay = 0;
  let dataStart: (() => void) | null = null;
  let port = 0;
  let server: SMTPServer | null = null;

  const options: SMTPServerOptions = {
    disabledCommands: ['STARTTLS'],
    allowInsecureAuth: true,
    authMethods: ['PLAIN', 'LOGIN'],
    closeTimeout: 50,
    logger: false,
    onAuth(auth, _session, cb) {
      if (auth.username === user && auth.password === pass) cb(null, { user });
      // Echoes the password it was given, as a careless server might: lastError must not keep it.
      else cb(Object.assign(new Error(`Invalid username or password (${auth.password ?? ''})`), { responseCode: 535 }));
    },
    onData(stream, session, cb) {
      dataAttempts++;
      dataStart?.();
      const chunks: Buffer[] = [];
      stream.on('data', (c: Buffer) => chunks.push(c));
      stream.on('end', () => {
        const finish = () => {
          if (rejectWith) {
            cb(Object.assign(new Error(rejectWith.message), { responseCode: rejectWith.code }));
            return;
          }
          const raw = Buffer.concat(chunks).toString('utf8');
          received.push({
            envelopeFrom: session.envelope.mailFrom ? session.envelope.mailFrom.address : '',
            envelopeTo: session.envelope.rcptTo.map((r) => r.address),
            raw,
            parsed: parseMail(raw),
          });
          cb(null, 'Queued');
        };
        if (delay > 0) setTimeout(finish, delay);
        else finish();
      });
    },
  };

  const listen = async () => {
    const s = new SMTPServer(options);
    s.on('error', () => undefined);
    await new Promise<void>((resolve, reject) => {
      s.server.once('error', reject);
      s.listen(port, '127.0.0.1', () => resolve());
    });
    port = (s.server.address() as AddressInfo).port;
    server = s;
  };
  const stop = async () => {
    const s = server;
    server = null;
    if (s) await new Promise<void>((resolve) => s.close(() => resolve()));
  };

  await listen();
  return {
    get port() {
      return port;
    },
    get url() {
      return `smtp://${encodeURIComponent(user)}:${encodeURIComponent(pass)}@127.0.0.1:${port}`;
    },
    user,
    pass,
    received,
    get dataAttempts() {
      return dataAttempts;
    },
    reject(code, message = 'Temporary failure, try again later') {
      rejectWith = code === null ? null : { code, message };
    },
    setDelay(ms) {
      delay = ms;
    },
    onDataStart(fn) {
      dataStart = fn;
    },
    stop,
    start: listen,
    countByMessageId() {
      const m = new Map<string, number>();
      for (const r of received) m.set(r.parsed.messageId, (m.get(r.parsed.messageId) ?? 0) + 1);
      return m;
    },
    close: stop,
  };
}

// ---------------------------------------------------------------------------------------------
// A minimal RFC 5322 / MIME reader (mailparser is not installed): enough for what nodemailer
// writes — RFC 2047 encoded words in headers, multipart/alternative, base64 and quoted-printable.

export interface ParsedMail {
  headers: Map<string, string>;
  messageId: string;
  subject: string;
  from: string;
  to: string;
  text: string;
  html: string | null;
}

export function parseMail(raw: string): ParsedMail {
  const { headers, body } = splitEntity(raw);
  const parts = collectParts(headers, body);
  return {
    headers,
    messageId: headers.get('message-id') ?? '',
    subject: decodeWords(headers.get('subject') ?? ''),
    from: decodeWords(headers.get('from') ?? ''),
    to: decodeWords(headers.get('to') ?? ''),
    text: parts.find((p) => p.type === 'text/plain')?.content ?? '',
    html: parts.find((p) => p.type === 'text/html')?.content ?? null,
  };
}

function splitEntity(raw: string): { headers: Map<string, string>; body: string } {
  const text = raw.replace(/\r\n/g, '\n');
  const cut = text.indexOf('\n\n');
  const head = cut === -1 ? text : text.slice(0, cut);
  const body = cut === -1 ? '' : text.slice(cut + 2);
  const headers = new Map<string, string>();
  for (const line of head.replace(/\n[ \t]+/g, ' ').split('\n')) {
    const i = line.indexOf(':');
    if (i > 0) headers.set(line.slice(0, i).trim().toLowerCase(), line.slice(i + 1).trim());
  }
  return { headers, body };
}

function param(header: string, name: string): string | null {
  const m = new RegExp(`${name}\\s*=\\s*(?:"([^"]*)"|([^;\\s]+))`, 'i').exec(header);
  return m ? (m[1] ?? m[2] ?? null) : null;
}

function collectParts(headers: Map<string, string>, body: string): { type: string; content: string }[] {
  const contentType = headers.get('content-type') ?? 'text/plain';
  const type = contentType.split(';')[0]!.trim().toLowerCase();
  if (type.startsWith('multipart/')) {
    const boundary = param(contentType, 'boundary');
    if (!boundary) throw new Error('multipart without boundary');
    const sections = body.split(`--${boundary}`);
    const out: { type: string; content: string }[] = [];
    for (const section of sections.slice(1)) {
      if (section.startsWith('--')) break;
      const entity = splitEntity(section.replace(/^\n/, ''));
      out.push(...collectParts(entity.headers, entity.body.replace(/\n$/, '')));
    }
    return out;
  }
  const charset = (param(contentType, 'charset') ?? 'utf-8').toLowerCase();
  if (charset !== 'utf-8') throw new Error(`unexpected charset ${charset}`);
  const encoding = (headers.get('content-transfer-encoding') ?? '7bit').toLowerCase();
  let bytes: Buffer;
  if (encoding === 'base64') bytes = Buffer.from(body.replace(/\s+/g, ''), 'base64');
  else if (encoding === 'quoted-printable') bytes = decodeQuotedPrintable(body);
  else bytes = Buffer.from(body, 'utf8');
  return [{ type, content: bytes.toString('utf8').replace(/\r\n/g, '\n') }];
}

function decodeQuotedPrintable(s: string): Buffer {
  const soft = s.replace(/=\r?\n/g, '');
  const out: number[] = [];
  for (let i = 0; i < soft.length; i++) {
    const c = soft[i]!;
    if (c === '=' && /^[0-9A-Fa-f]{2}$/.test(soft.slice(i + 1, i + 3))) {
      out.push(parseInt(soft.slice(i + 1, i + 3), 16));
      i += 2;
    } else {
      out.push(...Buffer.from(c, 'utf8'));
    }
  }
  return Buffer.from(out);
}

/** RFC 2047: `=?UTF-8?B?…?=` and `=?UTF-8?Q?…?=`; whitespace between encoded words is dropped. */
export function decodeWords(value: string): string {
  const re = /=\?([^?]+)\?([BbQq])\?([^?]*)\?=/g;
  const joined = value.replace(/(=\?[^?]+\?[BbQq]\?[^?]*\?=)\s+(?==\?)/g, '$1');
  // Decode runs of adjacent words together: a multi-byte character may be split across two words.
  return joined.replace(/(?:=\?[^?]+\?[BbQq]\?[^?]*\?=)+/g, (run) => {
    const bytes: Buffer[] = [];
    for (const m of run.matchAll(re)) {
      const [, charset, enc, data] = m;
      if (charset!.toLowerCase() !== 'utf-8') throw new Error(`unexpected charset ${charset}`);
      if (enc!.toUpperCase() === 'B') bytes.push(Buffer.from(data!, 'base64'));
      else bytes.push(decodeQuotedPrintable(data!.replace(/_/g, ' ')));
    }
    return Buffer.concat(bytes).toString('utf8');
  });
}
