import { describe, it, expect, beforeEach, afterEach } from 'vitest';
import { testDatabases } from '../../support/databases.js';
import { createTestCore, type TestCore } from '../../support/core.js';
import { observeAudit, type AuditNotice } from '../../../src/core/audit/observe-audit.js';
import { recordAudit } from '../../../src/core/audit/record-audit.js';
import { issueMember } from '../../../src/core/accounts/issue-member.js';
import { authenticatePassword } from '../../../src/core/auth/authenticate-password.js';
import { STAFF } from '../../support/core.js';

describe.each(testDatabases)('observeAudit on $name', (database) => {
  let t: TestCore;
  let seen: AuditNotice[];
  let stop: () => void;
  beforeEach(async () => {
    t = await createTestCore(database);
    seen = [];
    stop = observeAudit(t.core, (n) => seen.push(n));
  });
  afterEach(async () => {
    stop();
    await t.close();
  });

  const write = (em: Parameters<typeof recordAudit>[0], action: string) =>
    recordAudit(em, t.clock, { societyId: t.society.id, actor: { type: 'anonymous', ip: '192.0.2.7' }, action, outcome: 'failure' });

  it('reports an event only once its transaction has committed, with no identifier', async () => {
    let duringTransaction = -1;
    await t.core.db.em().transactional(async (em) => {
      write(em, 'test.one');
      await em.flush();
      duringTransaction = seen.length;
    });
    expect(duringTransaction).toBe(0);
    expect(seen).toEqual([{ societyId: t.society.id, action: 'test.one', outcome: 'failure', actorType: 'member' }]);
  });

  it('never reports a rolled-back event, and reports a committed savepoint with its transaction', async () => {
    await expect(
      t.core.db.em().transactional(async (em) => {
        write(em, 'test.rolled_back');
        await em.flush();
        throw new Error('abort');
      }),
    ).rejects.toThrow('abort');
    expect(seen).toEqual([]);

    let afterSavepoint = -1;
    await t.core.db.em().transactional(async (em) => {
      await em.transactional(async (inner) => {
        write(inner, 'test.nested');
      });
      afterSavepoint = seen.length;
      await expect(
        em.transactional(async (inner) => {
          write(inner, 'test.nested_rolled_back');
          await inner.flush();
          throw new Error('inner abort');
        }),
      ).rejects.toThrow('inner abort');
      write(em, 'test.outer');
    });
    expect(afterSavepoint).toBe(0);
    expect(seen.map((n) => n.action).sort()).toEqual(['test.nested', 'test.outer']);
  });

  it('reports a flush outside a transaction, ignores a throwing listener, and stops when asked', async () => {
    const stopThrowing = observeAudit(t.core, () => {
      throw new Error('observer bug');
    });
    const em = t.core.db.em();
    write(em, 'test.plain');
    await em.flush();
    expect(seen.map((n) => n.action)).toEqual(['test.plain']);
    stopThrowing();
    stop();
    const em2 = t.core.db.em();
    write(em2, 'test.unobserved');
    await em2.flush();
    expect(seen).toHaveLength(1);
  });

  it('sees the events of a real core use case (a failed password login)', async () => {
    const issued = await issueMember(t.core, STAFF, { societyId: t.society.id, member: { name: '山田 太郎', kana: 'ヤマダ タロウ', birthDate: '1979-08-22' } });
    seen.length = 0;
    await expect(authenticatePassword(t.core, t.society.id, { userId: issued.userId, password: 'wrong-password', ip: '192.0.2.7' })).rejects.toMatchObject({ code: 'INVALID_CREDENTIALS' });
    expect(seen).toEqual([{ societyId: t.society.id, action: 'login.password', outcome: 'failure', actorType: 'member' }]);
    expect(JSON.stringify(seen)).not.toContain(issued.userId);
  });
});
