import { describe, it, expect, afterEach } from 'vitest';
import { testDatabases } from '../../support/databases.js';
import { useSmtpSuite } from '../../support/smtp-suite.js';
import { openPeerCore, type TestCore } from '../../support/core.js';
import { type TestSmtpServer } from '../../support/smtp.js';
import { startMailWorker, type MailTransport, type MailWorker } from '../../../src/core/mail/index.js';
import { enqueueMail } from '../../../src/core/mail/enqueue-mail.js';
import type { DeliveryResult } from '../../../src/core/mail/deliver-mail.js';
import type { CoreContext } from '../../../src/core/context.js';

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

async function until(cond: () => boolean, ms = 20_000): Promise<void> {
  const end = Date.now() + ms;
  while (!cond()) {
    if (Date.now() > end) throw new Error('timed out');
    await sleep(10);
  }
}

/**
 * Issue 10: the portal's worker polls only while mail waits. An empty queue costs nothing; a mail
 * this process commits wakes it at once; a retry keeps it polling until the queue is empty again.
 */
describe.each(testDatabases)('mail worker polling on $name', (database) => {
  let smtp: TestSmtpServer;
  let t: TestCore;
  let core: CoreContext;
  let transport: MailTransport;
  let worker: MailWorker | null = null;
  const batches: DeliveryResult[] = [];

  useSmtpSuite(database, (s) => {
    ({ smtp, t, core, transport } = s);
    batches.length = 0;
  });
  afterEach(async () => {
    await worker?.stop();
    worker = null;
  });

  const queue = (c: CoreContext, to: string) =>
    c.db.em().transactional(async (em) => {
      await enqueueMail(em, c, { societyId: t.society.id, to, template: 'password-changed', vars: { memberName: '加入者' } });
    });
  const start = () => (worker = startMailWorker(core, transport, { intervalMs: 20, onBatch: (r) => batches.push(r) }));

  it('runs one batch at start, then none while the queue is empty', async () => {
    start();
    await until(() => batches.length === 1);
    await sleep(300); // 15 poll intervals
    expect(batches).toHaveLength(1);
  });

  it('a mail committed by this process wakes it at once; afterwards it is idle again', async () => {
    start();
    await until(() => batches.length === 1);
    await queue(core, 'woken@example.jp');
    await until(() => batches.some((b) => b.sent === 1));
    await sleep(50); // its look at the queue
    const after = batches.length;
    await sleep(300);
    expect(batches.length).toBe(after);
    expect(smtp.received[0]!.envelopeTo).toEqual(['woken@example.jp']);
  });

  it('a rolled-back mail wakes nothing', async () => {
    start();
    await until(() => batches.length === 1);
    await core.db
      .em()
      .transactional(async (em) => {
        await enqueueMail(em, core, { societyId: t.society.id, to: 'never@example.jp', template: 'password-changed', vars: { memberName: '加入者' } });
        await em.flush();
        throw new Error('roll back');
      })
      .catch(() => undefined);
    await sleep(300);
    expect(batches).toHaveLength(1);
  });

  it('keeps polling while a mail waits for its retry, and stops once it is sent', async () => {
    smtp.reject(451);
    start();
    await queue(core, 'retry@example.jp');
    await until(() => batches.some((b) => b.retried === 1));
    const polls = batches.length;
    await sleep(200);
    expect(batches.length).toBeGreaterThan(polls); // still polling: the mail waits
    smtp.reject(null);
    t.clock.advanceSeconds(30);
    await until(() => smtp.received.length === 1);
    await sleep(100);
    const settled = batches.length;
    await sleep(300);
    expect(batches.length).toBe(settled);
  });

  it('mail queued by another process is found by the idle check (no batch before it), or at once by wake()', async () => {
    const peer = await openPeerCore(t);
    try {
      start();
      await until(() => batches.length === 1);
      await sleep(100); // the first batch's look at the queue is over: the worker is idle
      await queue(peer, 'staff@example.jp');
      await sleep(300);
      expect(smtp.received).toHaveLength(0);
      expect(batches).toHaveLength(1);
      worker!.wake();
      await until(() => smtp.received.length === 1);
      await worker!.stop();
      batches.length = 0;

      // With a short idle check, the other process's mail goes out by itself, after one look.
      worker = startMailWorker(core, transport, { intervalMs: 20, idleCheckMs: 100, onBatch: (r) => batches.push(r) });
      await until(() => batches.length === 1);
      await sleep(300);
      expect(batches).toHaveLength(1); // idle looks run no batch
      await queue(peer, 'staff2@example.jp');
      await until(() => smtp.received.length === 2);
    } finally {
      await peer.db.close();
    }
  });
});
