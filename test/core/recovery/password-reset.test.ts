import { describe, it, expect, beforeEach, afterEach } from 'vitest';
import { testDatabases } from '../../support/databases.js';
import { createTestCore, STAFF, type TestCore } from '../../support/core.js';
import { activeMemberWithTotp } from '../../support/members.js';
import { requestPasswordReset, RESET_LINK_MS } from '../../../src/core/recovery/request-password-reset.js';
import { openResetLink, resetLinkUsable } from '../../../src/core/recovery/open-reset-link.js';
import { MAILS_PER_ACCOUNT, REQUESTS_PER_CLIENT } from '../../../src/core/recovery/recovery-limits.js';
import { issueMember } from '../../../src/core/accounts/issue-member.js';
import { setMemberDisabled } from '../../../src/core/accounts/set-member-status.js';

import { failAttempts } from '../../support/failures.js';
import { AuditEvent, Member } from '../../../src/core/db/entities/index.js';
import { sha256Hex } from '../../../src/core/random.js';
import pg from 'pg';
import { BASE_URL, lastResetToken, queued, tokenRows } from './support.js';

describe.each(testDatabases)('password reset links on $name', (database) => {
  let t: TestCore;
  beforeEach(async () => {
    t = await createTestCore(database);
  });
  afterEach(async () => t.close());

  const ask = (userId: string, ip: string | null = '192.0.2.1', baseUrl: string | null = BASE_URL) => requestPasswordReset(t.core, t.society.id, { userId, ip, baseUrl });
  const open = (token: unknown) => openResetLink(t.core, t.society.id, token, '192.0.2.1');

  it('mails a 5-minute link with a 256-bit token of which only the SHA-256 is stored', async () => {
    const m = await activeMemberWithTotp(t);
    const userId = (await t.core.db.em().fork().findOneOrFail(Member, { id: m.memberId })).userId;
    await ask(userId.toUpperCase());
    const mails = await queued(t, 'password-reset');
    expect(mails).toHaveLength(1);
    expect(mails[0]!.to).toMatch(/^member\d+@example\.jp$/);
    const token = await lastResetToken(t);
    expect(mails[0]!.text).toContain(`${BASE_URL}/password/reset/${token}`);
    expect(mails[0]!.html).toContain(`href="${BASE_URL}/password/reset/${token}"`);
    expect(Buffer.from(token, 'base64url')).toHaveLength(32);
    const [row] = await tokenRows(t);
    expect(row!.tokenHash).toBe(sha256Hex(token));
    expect(JSON.stringify(row)).not.toContain(token);
    expect(row!.expiresAt.getTime() - row!.createdAt.getTime()).toBe(RESET_LINK_MS);
    expect(RESET_LINK_MS).toBe(5 * 60_000);
  });

  it('a link opened at 4:59 works; one opened at 5:01 is refused with TOKEN_INVALID', async () => {
    const a = await activeMemberWithTotp(t);
    const b = await activeMemberWithTotp(t);
    const userIdOf = async (id: number) => (await t.core.db.em().fork().findOneOrFail(Member, { id })).userId;
    await ask(await userIdOf(a.memberId));
    const early = await lastResetToken(t);
    await ask(await userIdOf(b.memberId));
    const late = await lastResetToken(t);
    t.clock.advanceSeconds(4 * 60 + 59);
    expect(await resetLinkUsable(t.core, t.society.id, early)).toBe(true);
    await expect(open(early)).resolves.toEqual({ memberId: a.memberId });
    t.clock.advanceSeconds(2); // 5:01
    expect(await resetLinkUsable(t.core, t.society.id, late)).toBe(false);
    await expect(open(late)).rejects.toMatchObject({ code: 'TOKEN_INVALID' });
  });

  it('a link opens once: a second use is refused, and the refusals are audited with their reason', async () => {
    const m = await activeMemberWithTotp(t);
    const userId = (await t.core.db.em().fork().findOneOrFail(Member, { id: m.memberId })).userId;
    await ask(userId);
    const token = await lastResetToken(t);
    await open(token);
    await expect(open(token)).rejects.toMatchObject({ code: 'TOKEN_INVALID' });
    await expect(open('x'.repeat(43))).rejects.toMatchObject({ code: 'TOKEN_INVALID' });
    await expect(open('../../etc/passwd')).rejects.toMatchObject({ code: 'TOKEN_INVALID' });
    const events = await t.core.db
      .em()
      .fork()
      .find(AuditEvent, { action: 'recovery.password_link' }, { orderBy: { id: 'asc' } });
    expect(events.map((e) => [e.outcome, (e.details as { reason?: string } | null)?.reason ?? null])).toEqual([
      ['success', null],
      ['failure', 'used'],
      ['failure', 'unknown'],
      ['failure', 'malformed'],
    ]);
    expect(JSON.stringify(events)).not.toContain(token);
  });

  // Deterministic only where two connections can interleave (SQLite serialises a process's
  // transactions): another connection holds the row lock while both openings read the link as
  // unused and reach their UPDATE; then it lets go. Only the compare-and-set keeps it to one.
  it.runIf(database.name === 'postgresql')('two requests racing with one link: exactly one opens it', async () => {
    const m = await activeMemberWithTotp(t);
    await ask((await t.core.db.em().fork().findOneOrFail(Member, { id: m.memberId })).userId);
    const token = await lastResetToken(t);
    const blocker = new pg.Client({ connectionString: t.core.config.databaseUrl });
    await blocker.connect();
    try {
      await blocker.query('begin');
      await blocker.query('select id from one_time_token where token_hash = $1 for update', [sha256Hex(token)]);
      const racing = Promise.allSettled([open(token), open(token)]);
      await new Promise((r) => setTimeout(r, 500));
      await blocker.query('commit');
      const results = await racing;
      expect(results.filter((r) => r.status === 'fulfilled')).toHaveLength(1);
      expect(results.filter((r) => r.status === 'rejected').map((r) => (r as PromiseRejectedResult).reason.code)).toEqual(['TOKEN_INVALID']);
    } finally {
      await blocker.end();
    }
  });

  it('a newer request supersedes the older link, even within its 5 minutes', async () => {
    const m = await activeMemberWithTotp(t);
    const userId = (await t.core.db.em().fork().findOneOrFail(Member, { id: m.memberId })).userId;
    await ask(userId);
    const first = await lastResetToken(t);
    t.clock.advanceSeconds(30);
    await ask(userId);
    const second = await lastResetToken(t);
    expect(second).not.toBe(first);
    expect(await resetLinkUsable(t.core, t.society.id, first)).toBe(false);
    await expect(open(first)).rejects.toMatchObject({ code: 'TOKEN_INVALID' });
    await expect(open(second)).resolves.toEqual({ memberId: m.memberId });
  });

  it('checking a link (the GET page) does not use it up', async () => {
    const m = await activeMemberWithTotp(t);
    await ask((await t.core.db.em().fork().findOneOrFail(Member, { id: m.memberId })).userId);
    const token = await lastResetToken(t);
    for (let i = 0; i < 3; i++) expect(await resetLinkUsable(t.core, t.society.id, token)).toBe(true);
    await expect(open(token)).resolves.toEqual({ memberId: m.memberId });
    expect(await resetLinkUsable(t.core, t.society.id, token)).toBe(false);
  });

  it('mails only an active member with an address: unknown, provisional, disabled, locked and address-less accounts get nothing, silently', async () => {
    const active = await activeMemberWithTotp(t);
    const activeRow = await t.core.db.em().fork().findOneOrFail(Member, { id: active.memberId });
    const provisional = await issueMember(t.core, STAFF, { societyId: t.society.id, member: { name: '仮 花子', kana: 'カリ ハナコ', birthDate: '1980-01-01', email: 'kari@example.jp' } });
    const noMail = await activeMemberWithTotp(t);
    await t.core.db.em().fork().nativeUpdate(Member, { id: noMail.memberId }, { email: null });
    const disabled = await activeMemberWithTotp(t);
    const disabledRow = await t.core.db.em().fork().findOneOrFail(Member, { id: disabled.memberId });
    await setMemberDisabled(t.core, STAFF, { societyId: t.society.id, userId: disabledRow.userId, disabled: true });
    const locked = await activeMemberWithTotp(t);
    await failAttempts(t, locked.memberId, 20);
    const lockedRow = await t.core.db.em().fork().findOneOrFail(Member, { id: locked.memberId });
    const noMailRow = await t.core.db.em().fork().findOneOrFail(Member, { id: noMail.memberId });

    for (const userId of ['nosuchmember', provisional.userId, noMailRow.userId, disabledRow.userId, lockedRow.userId, 'a\u0000b']) {
      await expect(ask(userId, null)).resolves.toBeUndefined();
    }
    expect(await queued(t, 'password-reset')).toHaveLength(0);
    expect(await tokenRows(t)).toHaveLength(0);
    await ask(activeRow.userId, null);
    expect(await queued(t, 'password-reset')).toHaveLength(1);
    const reasons = (
      await t.core.db
        .em()
        .fork()
        .find(AuditEvent, { action: 'recovery.password_request' }, { orderBy: { id: 'asc' } })
    ).map((e) => (e.details as { reason?: string } | null)?.reason ?? 'sent');
    expect(reasons).toEqual(['unknown_user', 'not_active', 'no_mail', 'not_active', 'locked', 'unknown_user', 'sent']);
  });

  it('an empty user ID is a form error, not an answer about an account', async () => {
    await expect(ask('  ')).rejects.toMatchObject({ code: 'USER_ID_REQUIRED' });
  });

  it('without a trusted portal URL no link is mailed (reset-link poisoning), and the audit log says why', async () => {
    const m = await activeMemberWithTotp(t);
    await ask((await t.core.db.em().fork().findOneOrFail(Member, { id: m.memberId })).userId, '192.0.2.1', null);
    expect(await queued(t, 'password-reset')).toHaveLength(0);
    const event = await t.core.db.em().fork().findOneOrFail(AuditEvent, { action: 'recovery.password_request' });
    expect(event).toMatchObject({ outcome: 'failure', details: { reason: 'no_public_url' } });
  });

  it(`per account at most ${MAILS_PER_ACCOUNT} mails in 15 minutes, then silence; per client the ${REQUESTS_PER_CLIENT + 1}th request is RATE_LIMITED`, async () => {
    const m = await activeMemberWithTotp(t);
    const userId = (await t.core.db.em().fork().findOneOrFail(Member, { id: m.memberId })).userId;
    for (let i = 0; i < MAILS_PER_ACCOUNT + 2; i++) await ask(userId, `198.51.100.${i}`);
    expect(await queued(t, 'password-reset')).toHaveLength(MAILS_PER_ACCOUNT);
    t.clock.advanceSeconds(15 * 60 + 1);
    await ask(userId, '198.51.100.99');
    expect(await queued(t, 'password-reset')).toHaveLength(MAILS_PER_ACCOUNT + 1);

    for (let i = 0; i < REQUESTS_PER_CLIENT; i++) await ask(`unknown${i}xx`, '203.0.113.7');
    await expect(ask('unknownzzz', '203.0.113.7')).rejects.toMatchObject({ code: 'RATE_LIMITED' });
    await expect(ask(userId, '203.0.113.7')).rejects.toMatchObject({ code: 'RATE_LIMITED' });
    // Another client is not affected; the window ends.
    await expect(ask('unknownzzz', '203.0.113.8')).resolves.toBeUndefined();
    t.clock.advanceSeconds(15 * 60 + 1);
    await expect(ask('unknownzzz', '203.0.113.7')).resolves.toBeUndefined();
  });
});
