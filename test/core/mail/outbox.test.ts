import { describe, it, expect, beforeEach, afterEach } from 'vitest';
import { mkdtempSync, readdirSync, readFileSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { testDatabases } from '../../support/databases.js';
import { createTestCore, type TestCore } from '../../support/core.js';
import { parseMail } from '../../support/smtp.js';
import { MailMessage } from '../../../src/core/db/entities/index.js';
import { createMailTransport, deliverPendingMail, showMail, type MailTransport } from '../../../src/core/mail/index.js';
import { enqueueMail } from '../../../src/core/mail/enqueue-mail.js';
import type { CoreContext } from '../../../src/core/context.js';

describe.each(testDatabases)('outbox transport on $name', (database) => {
  let t: TestCore;
  let core: CoreContext;
  let dataDir: string;
  let transport: MailTransport;

  beforeEach(async () => {
    t = await createTestCore(database);
    dataDir = mkdtempSync(join(tmpdir(), 'kosmo-outbox-'));
    core = { ...t.core, config: { ...t.core.config, dataDir, smtpUrl: null } };
    transport = createMailTransport(core.config);
  });
  afterEach(async () => {
    transport.close();
    rmSync(dataDir, { recursive: true, force: true });
    await t.close();
  });

  const issue = (n: number) =>
    core.db.em().transactional(async (em) => {
      const row = await enqueueMail(em, core, {
        societyId: t.society.id,
        to: `member${n}@example.jp`,
        template: 'provisional-credentials',
        vars: { memberName: `加入者${n}`, userId: `k000000${n}`, password: `Pw-${n}-secret`, portalUrl: 'https://portal.example.jp/', expiresOn: '2026年6月30日' },
      });
      await em.flush();
      return row;
    });

  it('is the default without an SMTP URL and writes one private RFC 5322 .eml per mail', async () => {
    expect(transport.kind).toBe('outbox');
    const rows = [await issue(1), await issue(2), await issue(3)];
    expect(await deliverPendingMail(core, transport)).toEqual({ sent: 3, failed: 0, retried: 0 });

    const dir = join(dataDir, 'outbox');
    const files = readdirSync(dir).sort();
    expect(files).toHaveLength(3);
    expect(statSync(dir).mode & 0o777).toBe(0o700);
    for (const [i, r] of rows.entries()) {
      const file = files[i]!;
      expect(file).toMatch(new RegExp(`^${String(r.id).padStart(6, '0')}-provisional-credentials-[0-9a-f]{32}\\.eml$`));
      expect(statSync(join(dir, file)).mode & 0o777).toBe(0o600);
      const raw = readFileSync(join(dir, file), 'utf8');
      expect(raw).toMatch(/\r\n\r\n/); // CRLF line ends, as RFC 5322 wants
      expect(raw).not.toMatch(/[^\r]\n/);
      const mail = parseMail(raw);
      expect(mail.messageId).toBe(r.messageId);
      expect(mail.to).toBe(`member${i + 1}@example.jp`);
      expect(mail.subject).toBe('【大和総研健保】加入者ページ 仮ユーザID・仮パスワードのお知らせ');
      expect(mail.text).toContain(`仮パスワード：Pw-${i + 1}-secret`);
      expect(mail.html).toContain(`Pw-${i + 1}-secret`);
      // The database keeps no copy of the password; staff find the file instead.
      const shown = await showMail(core, t.society.id, r.id);
      expect(shown.bodyText).not.toContain('secret');
      expect(shown.outboxFile).toBe(join(dir, file));
    }
    expect(readdirSync(dir).filter((f) => f.endsWith('.tmp'))).toEqual([]);

    t.clock.advanceSeconds(3600);
    expect(await deliverPendingMail(core, transport)).toEqual({ sent: 0, failed: 0, retried: 0 });
    expect(readdirSync(dir)).toHaveLength(3);
  });

  it('writes a mail whose success was not recorded only once (crash between write and mark)', async () => {
    const r = await issue(1);
    const em = core.db.em();
    const row = await em.findOneOrFail(MailMessage, { id: r.id });
    // The transport wrote the file, then the process died before the row was marked sent.
    await transport.send({
      id: r.id,
      kind: row.kind,
      from: { name: 'x', address: 'no-reply@localhost' },
      to: row.toAddress,
      subject: row.subject,
      text: row.bodyText,
      html: row.bodyHtml ?? null,
      messageId: row.messageId!,
      date: t.clock.now(),
    });
    const dir = join(dataDir, 'outbox');
    const first = readFileSync(join(dir, readdirSync(dir)[0]!), 'utf8');
    expect(await deliverPendingMail(core, transport)).toEqual({ sent: 1, failed: 0, retried: 0 });
    expect(readdirSync(dir)).toHaveLength(1);
    expect(readFileSync(join(dir, readdirSync(dir)[0]!), 'utf8')).toBe(first);
  });
});
