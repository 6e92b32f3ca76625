import { describe, it, expect } from 'vitest';
import { testDatabases } from '../../support/databases.js';
import { useSmtpSuite } from '../../support/smtp-suite.js';
import { STAFF, type TestCore } from '../../support/core.js';
import { type TestSmtpServer } from '../../support/smtp.js';
import { createSociety } from '../../../src/core/society/create-society.js';
import { deliverPendingMail, listMail, showMail, type MailTransport } from '../../../src/core/mail/index.js';
import { enqueueMail } from '../../../src/core/mail/enqueue-mail.js';
import type { CoreContext } from '../../../src/core/context.js';

describe.each(testDatabases)('kosmo mail list / show on $name', (database) => {
  let smtp: TestSmtpServer;
  let t: TestCore;
  let core: CoreContext;
  let transport: MailTransport;

  useSmtpSuite(database, (s) => {
    ({ smtp, t, core, transport } = s);
  });

  const notice = (societyId: number, to: string) =>
    core.db.em().transactional(async (em) => enqueueMail(em, core, { societyId, memberId: 9, to, template: 'account-locked', vars: { memberName: '山田 太郎' } }));

  it("lists the society's mails newest first, filtered by status, with recipient and subject", async () => {
    const a = await notice(t.society.id, 'a@example.jp');
    await deliverPendingMail(core, transport);
    t.clock.advanceSeconds(10);
    smtp.reject(451);
    const b = await notice(t.society.id, 'b@example.jp');
    await deliverPendingMail(core, transport);
    const other = await createSociety(core, STAFF, { code: 'other', name: '別健保' });
    await notice(other.id, 'c@example.jp');

    const all = await listMail(core, t.society.id);
    expect(all.map((m) => m.id)).toEqual([b.id, a.id]);
    expect(all[0]).toMatchObject({
      kind: 'account-locked',
      memberId: 9,
      to: 'b@example.jp',
      subject: '【大和総研健保】アカウントロックのお知らせ',
      status: 'pending',
      attempts: 1,
      nextAttemptAt: new Date('2026-04-01T00:00:40Z'),
      lastError: expect.stringMatching(/451/),
      sentAt: null,
    });
    expect(all[1]).toMatchObject({ to: 'a@example.jp', status: 'sent', nextAttemptAt: null, sentAt: new Date('2026-04-01T00:00:00Z'), messageId: a.messageId });
    expect(all[0]).not.toHaveProperty('bodyText');
    expect((await listMail(core, t.society.id, { status: 'pending' })).map((m) => m.id)).toEqual([b.id]);
    expect((await listMail(core, t.society.id, { status: ['pending', 'failed'] })).map((m) => m.id)).toEqual([b.id]);
    expect((await listMail(core, t.society.id, { limit: 1 })).map((m) => m.id)).toEqual([b.id]);
    expect((await listMail(core, other.id)).map((m) => m.to)).toEqual(['c@example.jp']);
  });

  it('shows one mail with its body, and nothing of another society', async () => {
    const a = await notice(t.society.id, 'a@example.jp');
    const shown = await showMail(core, t.society.id, a.id);
    expect(shown).toMatchObject({ id: a.id, to: 'a@example.jp', status: 'pending', bodyCleared: false, outboxFile: null });
    expect(shown.bodyText).toContain('アカウントをロックいたしました');
    expect(shown.bodyHtml).toContain('アカウントをロックいたしました');

    const other = await createSociety(core, STAFF, { code: 'other', name: '別健保' });
    await expect(showMail(core, other.id, a.id)).rejects.toMatchObject({ code: 'NOT_FOUND' });
    await expect(showMail(core, t.society.id, a.id + 1000)).rejects.toMatchObject({ code: 'NOT_FOUND' });
  });
});
