import { describe, it, expect, afterEach } from 'vitest';
import { testDatabases } from '../../support/databases.js';
import { useSmtpSuite } from '../../support/smtp-suite.js';
import { type TestCore } from '../../support/core.js';
import { type TestSmtpServer } from '../../support/smtp.js';
import { openDatabase } from '../../../src/core/db/orm.js';
import { MailMessage } from '../../../src/core/db/entities/index.js';
import { backoffMs, createMailTransport, deliverPendingMail, listMail, showMail, MAX_ATTEMPTS, SENT_PLACEHOLDER, type MailTemplateName, type MailTransport } from '../../../src/core/mail/index.js';
import { enqueueMail, type EnqueueMailInput } from '../../../src/core/mail/enqueue-mail.js';
import type { CoreContext } from '../../../src/core/context.js';

async function enqueue<T extends MailTemplateName>(core: CoreContext, input: EnqueueMailInput<T>) {
  return core.db.em().transactional(async (em) => {
    const row = await enqueueMail(em, core, input);
    await em.flush();
    return row;
  });
}

async function row(core: CoreContext, id: number) {
  return (await core.db.em().findOneOrFail(MailMessage, { id }))!;
}

describe.each(testDatabases)('mail delivery on $name', (database) => {
  let smtp: TestSmtpServer;
  let t: TestCore;
  let core: CoreContext;
  let transport: MailTransport;
  const reset = (n: number) =>
    ({ societyId: t.society.id, to: `member${n}@example.jp`, template: 'password-reset', vars: { memberName: `加入者${n}`, resetUrl: `https://portal.example.jp/reset/SECRET-TOKEN-${n}` } }) as const;

  useSmtpSuite(database, (s) => {
    ({ smtp, t, core, transport } = s);
  });
  afterEach(async () => {
    await smtp.start().catch(() => undefined); // if a test stopped it
  });

  it('an outage (server down, then rejecting with 451) loses nothing and, after recovery, delivers each mail exactly once', async () => {
    const rows = [];
    for (let i = 1; i <= 5; i++) rows.push(await enqueue(core, reset(i)));

    await smtp.stop();
    expect(await deliverPendingMail(core, transport)).toEqual({ sent: 0, failed: 0, retried: 5 });
    for (const r of rows) expect(await row(core, r.id)).toMatchObject({ status: 'pending', attempts: 1 });

    await smtp.start();
    smtp.reject(451);
    t.clock.advanceSeconds(30);
    const attemptsBefore = smtp.dataAttempts;
    expect(await deliverPendingMail(core, transport)).toEqual({ sent: 0, failed: 0, retried: 5 });
    expect(smtp.dataAttempts - attemptsBefore).toBe(5);
    expect(smtp.received).toHaveLength(0);
    const failedOnce = await row(core, rows[0]!.id);
    expect(failedOnce.lastError).toMatch(/451/);
    expect(failedOnce.lastError).not.toContain('SECRET-TOKEN');

    // Recovery, after a restart of KOSMO too: a fresh process (new ORM) resumes the queue.
    smtp.reject(null);
    t.clock.advanceSeconds(60);
    const db2 = await openDatabase(core.config.databaseUrl);
    let sentAt: Date | undefined;
    try {
      const core2 = { ...core, db: db2 };
      sentAt = t.clock.now();
      expect(await deliverPendingMail(core2, transport)).toEqual({ sent: 5, failed: 0, retried: 0 });
      t.clock.advanceSeconds(3600);
      expect(await deliverPendingMail(core2, transport)).toEqual({ sent: 0, failed: 0, retried: 0 });
    } finally {
      await db2.close();
    }

    const counts = smtp.countByMessageId();
    expect([...counts.keys()].sort()).toEqual(rows.map((r) => r.messageId).sort());
    expect([...counts.values()]).toEqual([1, 1, 1, 1, 1]);
    expect(smtp.received.map((m) => m.envelopeTo[0]).sort()).toEqual([1, 2, 3, 4, 5].map((i) => `member${i}@example.jp`));
    for (const r of rows) expect(await row(core, r.id)).toMatchObject({ status: 'sent', attempts: 3, lastError: null, sentAt });
  });

  it('backs off 30 s, 1 min, 2 min … capped at 1 h, and gives up after 10 attempts', async () => {
    expect([1, 2, 3, 4, 5, 6, 7, 8, 9].map((n) => backoffMs(n) / 1000)).toEqual([30, 60, 120, 240, 480, 960, 1920, 3600, 3600]);
    smtp.reject(451, 'Mailbox busy');
    const mail = await enqueue(core, reset(1));
    const start = t.clock.now().getTime();
    let due = start;
    const delays: number[] = [];
    for (let attempt = 1; attempt <= MAX_ATTEMPTS; attempt++) {
      // One second early: nothing is tried.
      t.clock.set(due - 1000);
      const before = smtp.dataAttempts;
      if (attempt > 1) expect(await deliverPendingMail(core, transport)).toEqual({ sent: 0, failed: 0, retried: 0 });
      expect(smtp.dataAttempts).toBe(before);
      // On time: one attempt.
      t.clock.set(due);
      const r = await deliverPendingMail(core, transport);
      expect(smtp.dataAttempts).toBe(before + 1);
      const now = await row(core, mail.id);
      expect(now.attempts).toBe(attempt);
      if (attempt < MAX_ATTEMPTS) {
        expect(r).toEqual({ sent: 0, failed: 0, retried: 1 });
        expect(now.status).toBe('pending');
        delays.push((now.nextAttemptAt.getTime() - due) / 1000);
        due = now.nextAttemptAt.getTime();
      } else {
        expect(r).toEqual({ sent: 0, failed: 1, retried: 0 });
        expect(now.status).toBe('failed');
        expect(now.lastError).toBe('EMESSAGE 451 Mailbox busy');
        expect(now.bodyText).not.toContain('SECRET-TOKEN');
        expect(now.bodyHtml).not.toContain('SECRET-TOKEN');
      }
    }
    expect(delays).toEqual([30, 60, 120, 240, 480, 960, 1920, 3600, 3600]);
    // Failed stays failed, even when the server is back.
    smtp.reject(null);
    t.clock.advanceSeconds(86400);
    expect(await deliverPendingMail(core, transport)).toEqual({ sent: 0, failed: 0, retried: 0 });
    expect(smtp.received).toHaveLength(0);
    expect((await listMail(core, t.society.id, { status: 'failed' })).map((m) => m.id)).toEqual([mail.id]);
  });

  it('clears the secret-bearing body once the mail is sent', async () => {
    const mail = await enqueue(core, reset(7));
    const before = await showMail(core, t.society.id, mail.id);
    expect(before.bodyText).toContain('https://portal.example.jp/reset/SECRET-TOKEN-7');
    expect(before.bodyHtml).toContain('https://portal.example.jp/reset/SECRET-TOKEN-7');
    expect(before.bodyCleared).toBe(false);

    await deliverPendingMail(core, transport);
    expect(smtp.received[0]!.parsed.text).toContain('SECRET-TOKEN-7');

    const after = await showMail(core, t.society.id, mail.id);
    expect(after).toMatchObject({ status: 'sent', bodyText: SENT_PLACEHOLDER, bodyHtml: SENT_PLACEHOLDER, bodyCleared: true, subject: '【大和総研健保】パスワード再設定のご案内' });
    // Straight from the table, not through the view.
    const raw = await core.db.em().getConnection().execute('select body_text, body_html, subject, last_error from mail_message');
    expect(JSON.stringify(raw)).not.toContain('SECRET-TOKEN');
  });

  it("enqueues in the caller's transaction: a rollback leaves no mail, a commit leaves one pending", async () => {
    await expect(
      core.db.em().transactional(async (em) => {
        await enqueueMail(em, core, reset(1));
        await em.flush();
        throw new Error('the change failed');
      }),
    ).rejects.toThrow('the change failed');
    expect(await listMail(core, t.society.id)).toEqual([]);

    // Not flushed by the caller: nothing either.
    await enqueueMail(core.db.em(), core, reset(2));
    expect(await listMail(core, t.society.id)).toEqual([]);

    await core.db.em().transactional(async (em) => {
      await enqueueMail(em, core, reset(3));
    });
    expect((await listMail(core, t.society.id)).map((m) => [m.to, m.status])).toEqual([['member3@example.jp', 'pending']]);
    expect(await deliverPendingMail(core, transport)).toEqual({ sent: 1, failed: 0, retried: 0 });
    expect(smtp.received.map((m) => m.envelopeTo[0])).toEqual(['member3@example.jp']);
  });

  it('does not send a mail twice after a crash that left it claimed, and resends it (same Message-ID) once the lease expires', async () => {
    const mail = await enqueue(core, reset(1));
    // A worker that claims the mail and dies before sending.
    const claimed = await core.db.em().nativeUpdate(MailMessage, { id: mail.id, status: 'pending', attempts: 0 }, { attempts: 1, nextAttemptAt: new Date(t.clock.now().getTime() + 15 * 60_000) });
    expect(claimed).toBe(1);
    expect(await deliverPendingMail(core, transport)).toEqual({ sent: 0, failed: 0, retried: 0 });
    t.clock.advanceSeconds(15 * 60);
    expect(await deliverPendingMail(core, transport)).toEqual({ sent: 1, failed: 0, retried: 0 });
    expect(smtp.received.map((m) => m.parsed.messageId)).toEqual([mail.messageId]);
    expect(await row(core, mail.id)).toMatchObject({ status: 'sent', attempts: 2 });
  });

  it('sends with the credentials of the SMTP URL and keeps them out of lastError', async () => {
    const wrong = smtp.url.replace(encodeURIComponent(smtp.pass), 'Wr0ng-Secret-pw');
    const badCore = { ...core, config: { ...core.config, smtpUrl: wrong } };
    const bad = createMailTransport(badCore.config);
    try {
      const mail = await enqueue(core, reset(1));
      expect(await deliverPendingMail(badCore, bad)).toEqual({ sent: 0, failed: 0, retried: 1 });
      const r = await row(core, mail.id);
      expect(r.lastError).toMatch(/535/);
      expect(r.lastError).not.toContain('Wr0ng-Secret-pw');
      expect(smtp.received).toHaveLength(0);
      t.clock.advanceSeconds(30);
      expect(await deliverPendingMail(core, transport)).toEqual({ sent: 1, failed: 0, retried: 0 });
    } finally {
      bad.close();
    }
  });
});
