import { describe, it, expect, beforeEach, afterEach } from 'vitest';
import { testDatabases } from '../../support/databases.js';
import { createTestCore, STAFF, type TestCore } from '../../support/core.js';
import { issueMember } from '../../../src/core/accounts/issue-member.js';
import { createSession } from '../../../src/core/sessions/create-session.js';
import { loadSession } from '../../../src/core/sessions/load-session.js';
import { rotateSessionInStore } from '../../../src/core/sessions/rotate-session-in-store.js';
import { auditedTransaction } from '../../../src/core/audit/insert-audit.js';
import { queryAudit } from '../../../src/core/audit/query-audit.js';
import { memberViewById } from '../../../src/core/accounts/member-view-by-id.js';

const client = { ip: '192.0.2.1', userAgent: 'test' };
const HOUR = 3_600_000;

/** The hot path's store functions (issue 10): session rotation with its audit event in one transaction, the member view. */
describe.each(testDatabases)('session store functions on $name', (database) => {
  let t: TestCore;
  let member: { id: number; userId: string };
  beforeEach(async () => {
    t = await createTestCore(database);
    const r = await issueMember(t.core, STAFF, { societyId: t.society.id, member: { name: '山田 太郎', kana: 'ヤマダ タロウ', birthDate: '1979-08-22' } });
    member = { id: r.member.id, userId: r.userId };
  });
  afterEach(async () => t.close());

  it('rotates by compare-and-set on the token, with the audit event in the same transaction', async () => {
    const { token, session } = await createSession(t.core, t.society.id, client);
    t.clock.advanceSeconds(60);
    const renewed = await auditedTransaction(t.core, async (tx) => {
      const r = await rotateSessionInStore(t.core, tx, session.id, {
        expectTokenHash: session.tokenHash,
        memberId: member.id,
        state: { stage: 'login', progress: {} },
        authenticated: true,
        persistent: true,
      });
      await tx.audit({ societyId: t.society.id, actor: STAFF, action: 'login.password', member });
      return r;
    });
    expect(renewed.token).not.toBe(token);
    expect(renewed.session).toMatchObject({ id: session.id, member: { id: member.id }, persistent: true, state: { stage: 'login', progress: {} } });
    expect(renewed.session.state.csrf).toMatch(/^[A-Za-z0-9_-]{43}$/);
    expect(renewed.session.state.csrf).not.toBe(session.state.csrf);
    expect(renewed.session.authenticatedAt?.getTime()).toBe(t.clock.now().getTime());
    expect(renewed.session.absoluteExpiresAt.getTime()).toBe(t.clock.now().getTime() + 30 * 24 * HOUR);
    expect((await loadSession(t.core, t.society.id, token)).status).toBe('missing');
    const loaded = await loadSession(t.core, t.society.id, renewed.token);
    expect(loaded.status === 'valid' && loaded.session.member?.id).toBe(member.id);
    expect((await queryAudit(t.core, t.society.id, { action: 'login.password' })).length).toBe(1);
  });

  it('a lost race changes nothing, and its audit event rolls back with it', async () => {
    const { session } = await createSession(t.core, t.society.id, client);
    await rotateSessionInStore(t.core, t.core.db.store, session.id, { expectTokenHash: session.tokenHash, memberId: null, state: {} });
    await expect(
      auditedTransaction(t.core, async (tx) => {
        await tx.audit({ societyId: t.society.id, actor: STAFF, action: 'login.password', member });
        await rotateSessionInStore(t.core, tx, session.id, { expectTokenHash: session.tokenHash, memberId: member.id, state: {} });
      }),
    ).rejects.toMatchObject({ code: 'SESSION_EXPIRED' });
    expect(await queryAudit(t.core, t.society.id, { action: 'login.password' })).toHaveLength(0);
  });

  it('keeps authenticatedAt unless the step authenticates', async () => {
    const { session } = await createSession(t.core, t.society.id, client);
    const first = await rotateSessionInStore(t.core, t.core.db.store, session.id, { expectTokenHash: session.tokenHash, memberId: member.id, state: {}, authenticated: true });
    const at = first.session.authenticatedAt!.getTime();
    t.clock.advanceSeconds(120);
    const second = await rotateSessionInStore(t.core, t.core.db.store, session.id, { expectTokenHash: first.session.tokenHash, memberId: member.id, state: { stage: 'authenticated' } });
    expect(second.session.authenticatedAt!.getTime()).toBe(at);
    expect(second.session.lastSeenAt.getTime()).toBe(t.clock.now().getTime());
  });

  it('reads the member view of a session through the store, only within its society', async () => {
    expect(await memberViewById(t.core.db.store, t.society.id, member.id)).toEqual({
      id: member.id,
      userId: member.userId,
      name: '山田 太郎',
      email: null,
      status: 'provisional',
      preferredMethod: null,
    });
    expect(await memberViewById(t.core.db.store, t.society.id + 1, member.id)).toBeNull();
    expect(await memberViewById(t.core.db.store, t.society.id, member.id + 999)).toBeNull();
  });
});
