import { describe, it, expect, beforeEach } from 'vitest';
import { testDatabases } from '../../support/databases.js';
import type { TestCore } from '../../support/core.js';
import { authenticatePassword } from '../../../src/core/auth/authenticate-password.js';
import { purgeStaleState } from '../../../src/core/sessions/purge-expired-sessions.js';
import { LoginThrottle, RateLimit } from '../../../src/core/db/entities/index.js';
import { requestPasswordReset } from '../../../src/core/recovery/request-password-reset.js';
import { issue, perTestSociety } from '../accounts/fixtures.js';

describe.each(testDatabases)('throttle housekeeping on $name', (database) => {
  const current = perTestSociety(database);
  let t: TestCore;
  beforeEach(() => {
    t = current();
  });

  it('keeps only a hash of an unknown user ID, forgets it a day after its last failure, never forgets a member', async () => {
    const r = await issue(t);
    for (const userId of ['nosuchmember', r.userId]) {
      await expect(authenticatePassword(t.core, t.society.id, { userId, password: 'Wrong-Password-1', ip: null })).rejects.toMatchObject({ code: 'INVALID_CREDENTIALS' });
    }
    const subjects = async () => (await t.core.db.em().find(LoginThrottle, { society: t.society.id }, { orderBy: { id: 'asc' } })).map((row) => row.subject);
    const before = await subjects();
    expect(before).toHaveLength(2);
    expect(before[0]).toMatch(/^u:[0-9a-f]{64}$/);
    expect(before.join()).not.toContain('nosuchmember');
    expect(before[1]).toBe(`m:${r.member.id}`);
    t.clock.advance(24 * 3600_000 - 1000);
    await purgeStaleState(t.core);
    expect(await subjects()).toHaveLength(2);
    t.clock.advance(2000);
    await purgeStaleState(t.core);
    expect(await subjects()).toEqual([`m:${r.member.id}`]);
  });

  it("smart lockout: forgets an unknown ID's client counter with it, a member's idle client counter after 30 days, never a blocking one", async () => {
    const r = await issue(t);
    await expect(authenticatePassword(t.core, t.society.id, { userId: 'nosuchmember', password: 'Wrong-Password-1', ip: '192.0.2.50' })).rejects.toMatchObject({ code: 'INVALID_CREDENTIALS' });
    await expect(authenticatePassword(t.core, t.society.id, { userId: r.userId, password: 'Wrong-Password-1', ip: '192.0.2.51' })).rejects.toMatchObject({ code: 'INVALID_CREDENTIALS' });
    const subjects = async () =>
      (
        await t.core.db
          .em()
          .fork()
          .find(LoginThrottle, { society: t.society.id }, { orderBy: { id: 'asc' } })
      ).map((row) => row.subject.replace(/[0-9a-f]{64}/, 'H'));
    expect(await subjects()).toEqual(['u:H', 'c:u:H', `m:${r.member.id}`, `c:${r.member.id}:H`]);
    t.clock.advance(24 * 3600_000 + 1000);
    await purgeStaleState(t.core);
    expect(await subjects()).toEqual([`m:${r.member.id}`, `c:${r.member.id}:H`]);
    t.clock.advance(30 * 24 * 3600_000);
    await purgeStaleState(t.core);
    expect(await subjects()).toEqual([`m:${r.member.id}`]);
  });

  it('drops rate windows once they have ended', async () => {
    await requestPasswordReset(t.core, t.society.id, { userId: 'nosuchmember', ip: '192.0.2.1', baseUrl: null });
    expect(await t.core.db.em().count(RateLimit, {})).toBe(1);
    t.clock.advance(15 * 60_000);
    await purgeStaleState(t.core);
    expect(await t.core.db.em().count(RateLimit, {})).toBe(1);
    t.clock.advance(15 * 60_000);
    await purgeStaleState(t.core);
    expect(await t.core.db.em().count(RateLimit, {})).toBe(0);
  });
});
