import { describe, it, expect, afterEach } from 'vitest';
import { testDatabases } from '../../support/databases.js';
import { useSmtpSuite } from '../../support/smtp-suite.js';
import { type TestCore } from '../../support/core.js';
import { type TestSmtpServer } from '../../support/smtp.js';
import { openDatabase, type Database } from '../../../src/core/db/orm.js';
import { createMailTransport, deliverPendingMail, listMail, startMailWorker, type MailTransport } from '../../../src/core/mail/index.js';
import { enqueueMail } from '../../../src/core/mail/enqueue-mail.js';
import type { CoreContext } from '../../../src/core/context.js';

async function until(cond: () => boolean | Promise<boolean>, ms = 20_000): Promise<void> {
  const end = Date.now() + ms;
  while (!(await cond())) {
    if (Date.now() > end) throw new Error('timed out');
    await new Promise((r) => setTimeout(r, 10));
  }
}

describe.each(testDatabases)('mail workers on $name', (database) => {
  let smtp: TestSmtpServer;
  let t: TestCore;
  let core: CoreContext;
  let other: { core: CoreContext; db: Database };
  let transports: MailTransport[];

  useSmtpSuite(database, async (s) => {
    ({ smtp, t, core } = s);
    // A second "process": its own ORM and connections on the same database.
    const db = await openDatabase(core.config.databaseUrl);
    other = { db, core: { ...core, db } };
    transports = [s.transport, createMailTransport(core.config)];
  });
  afterEach(async () => {
    transports[1]!.close();
    await other.db.close();
  });

  async function enqueueMany(n: number): Promise<string[]> {
    const ids: string[] = [];
    await core.db.em().transactional(async (em) => {
      for (let i = 1; i <= n; i++) {
        const row = await enqueueMail(em, core, { societyId: t.society.id, to: `m${i}@example.jp`, template: 'password-changed', vars: { memberName: `加入者${i}` } });
        ids.push(row.messageId!);
      }
    });
    return ids;
  }

  it('two delivery runs racing over the same due mails send each one once', async () => {
    const ids = await enqueueMany(20);
    smtp.setDelay(5);
    const [a, b] = await Promise.all([deliverPendingMail(core, transports[0]!, { limit: 50 }), deliverPendingMail(other.core, transports[1]!, { limit: 50 })]);
    expect(a.sent + b.sent).toBe(20);
    expect(a.failed + b.failed + a.retried + b.retried).toBe(0);
    const counts = smtp.countByMessageId();
    expect([...counts.keys()].sort()).toEqual([...ids].sort());
    expect([...counts.values()].every((n) => n === 1)).toBe(true);
    expect(smtp.received).toHaveLength(20);
  });

  it('two workers running concurrently deliver every mail exactly once', async () => {
    const ids = await enqueueMany(30);
    smtp.setDelay(3);
    const w1 = startMailWorker(core, transports[0]!, { intervalMs: 5, limit: 7 });
    const w2 = startMailWorker(other.core, transports[1]!, { intervalMs: 5, limit: 7 });
    try {
      await until(async () => (await listMail(core, t.society.id, { status: 'sent', limit: 100 })).length === 30);
    } finally {
      await Promise.all([w1.stop(), w2.stop()]);
    }
    const counts = smtp.countByMessageId();
    expect([...counts.keys()].sort()).toEqual([...ids].sort());
    expect(smtp.received).toHaveLength(30);
  });

  it('stop() waits for the batch in flight, which ends marked sent', async () => {
    await enqueueMany(1);
    smtp.setDelay(300);
    let started = false;
    smtp.onDataStart(() => (started = true));
    const worker = startMailWorker(core, transports[0]!, { intervalMs: 60_000 });
    await until(() => started);
    await worker.stop();
    expect(smtp.received).toHaveLength(1);
    expect((await listMail(core, t.society.id)).map((m) => m.status)).toEqual(['sent']);
  });

  it('keeps polling, retries on the injected clock, and wake() runs a batch at once', async () => {
    const errors: unknown[] = [];
    smtp.reject(451);
    await enqueueMany(1);
    const worker = startMailWorker(core, transports[0]!, { intervalMs: 20, onError: (e) => errors.push(e) });
    try {
      await until(async () => (await listMail(core, t.society.id))[0]!.lastError !== null);
      smtp.reject(null);
      // Not due until the clock says so, however often the worker polls.
      await new Promise((r) => setTimeout(r, 100));
      expect(smtp.received).toHaveLength(0);
      t.clock.advanceSeconds(30);
      await until(() => smtp.received.length === 1);
      await enqueueMany(1);
      worker.wake();
      await until(() => smtp.received.length === 2);
    } finally {
      await worker.stop();
    }
    expect(errors).toEqual([]);
  });
});
