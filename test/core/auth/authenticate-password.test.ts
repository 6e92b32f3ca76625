import { describe, it, expect, beforeEach } from 'vitest';
import { testDatabases } from '../../support/databases.js';
import { STAFF, type TestCore } from '../../support/core.js';
import { authenticatePassword, canContinueLogin } from '../../../src/core/auth/authenticate-password.js';
import { completeLogin } from '../../../src/core/auth/complete-login.js';
import { setMemberDisabled } from '../../../src/core/accounts/set-member-status.js';
import { updateSocietySetting } from '../../../src/core/society/update-society-setting.js';
import { queryAudit } from '../../../src/core/audit/query-audit.js';
import type { PasswordHasher } from '../../../src/core/credentials/password/hasher.js';
import { KosmoError } from '../../../src/core/errors.js';
import { issue, lockoutOf, makeActive, perTestSociety, reload } from '../accounts/fixtures.js';

const DAY = 86_400_000;

describe.each(testDatabases)('password authentication on $name', (database) => {
  const current = perTestSociety(database);
  let t: TestCore;
  beforeEach(() => {
    t = current();
  });

  const login = (userId: unknown, password: unknown, ip: string | null = '192.0.2.7') => authenticatePassword(t.core, t.society.id, { userId, password, ip });
  async function failure(p: Promise<unknown>): Promise<KosmoError> {
    try {
      await p;
    } catch (e) {
      return e as KosmoError;
    }
    throw new Error('expected a failure');
  }

  it('accepts the right password, with the user ID in any case or full-width', async () => {
    const r = await issue(t);
    expect((await login(r.userId, r.password)).member.id).toBe(r.member.id);
    expect((await login(r.userId.toUpperCase(), r.password)).member.id).toBe(r.member.id);
    const fullWidth = r.userId.replace(/[a-z0-9]/g, (c) => String.fromCharCode(c.charCodeAt(0) + 0xfee0));
    expect((await login(` ${fullWidth} `, r.password)).member.id).toBe(r.member.id);
    const [e] = await queryAudit(t.core, t.society.id, { action: 'login.password' });
    expect(e).toMatchObject({ outcome: 'success', actorType: 'member', actor: r.userId, ip: '192.0.2.7' });
  });

  it('unknown, wrong, disabled and locked all end in the same INVALID_CREDENTIALS', async () => {
    const r = await issue(t);
    const d = await issue(t, { name: '無効', kana: 'ムコウ' });
    await setMemberDisabled(t.core, STAFF, { societyId: t.society.id, userId: d.userId, disabled: true });
    const unknown = await failure(login('knobody234', r.password));
    const wrong = await failure(login(r.userId, r.password + 'x'));
    const empty = await failure(login(r.userId, ''));
    const disabled = await failure(login(d.userId, d.password));
    const errors = [unknown, wrong, empty, disabled];
    for (const e of errors) {
      expect(e).toBeInstanceOf(KosmoError);
      expect(e.code).toBe('INVALID_CREDENTIALS');
      expect(e.message).toBe('無効なユーザIDまたはパスワードです。');
    }
    const reasons = (await queryAudit(t.core, t.society.id, { action: 'login.password' })).map((e) => e.details?.reason ?? null);
    expect(reasons.sort()).toEqual(['disabled', 'unknown_user', 'wrong_password', 'wrong_password'].sort());
    // A disabled account's attempt counts like any failure (same path, same work as the others).
    expect((await lockoutOf(t, d.member.id))!.failures).toBe(1);
    expect((await lockoutOf(t, r.member.id))!.failures).toBe(2);
  });

  it('spends exactly one argon2 verification whatever the outcome (no timing difference)', async () => {
    const r = await issue(t);
    const calls: string[] = [];
    const real = t.core.hasher;
    const counting: PasswordHasher = {
      hash: (p) => real.hash(p),
      verify: (h, p) => (calls.push('verify'), real.verify(h, p)),
      verifyDummy: (p) => (calls.push('dummy'), real.verifyDummy(p)),
    };
    const core = { ...t.core, hasher: counting };
    const attempt = async (userId: string, password: string) => {
      calls.length = 0;
      await authenticatePassword(core, t.society.id, { userId, password, ip: null }).catch(() => undefined);
      return [...calls];
    };
    expect(await attempt('knobody234', 'whatever1')).toEqual(['dummy']);
    expect(await attempt('', 'whatever1')).toEqual(['dummy']);
    expect(await attempt(r.userId, 'whatever1')).toEqual(['verify']);
    expect(await attempt(r.userId, r.password)).toEqual(['verify']);
  });

  it('never finds a member of another society', async () => {
    const r = await issue(t, {}, 1);
    await expect(login(r.userId, r.password)).rejects.toMatchObject({ code: 'INVALID_CREDENTIALS' });
    expect(await lockoutOf(t, r.member.id)).toBeNull();
  });

  it('a provisional password expires after 90 days → PROVISIONAL_EXPIRED, only with the right password', async () => {
    const r = await issue(t);
    t.clock.advance(90 * DAY - 1000);
    await expect(login(r.userId, r.password)).resolves.toBeTruthy();
    t.clock.advance(1000);
    await expect(login(r.userId, r.password)).rejects.toMatchObject({ code: 'PROVISIONAL_EXPIRED', kind: 'unauthenticated' });
    await expect(login(r.userId, 'Wrong-Password-1')).rejects.toMatchObject({ code: 'INVALID_CREDENTIALS' });
    const [e] = await queryAudit(t.core, t.society.id, { action: 'login.password', limit: 2 }).then((l) => l.filter((x) => x.details?.reason === 'provisional_expired'));
    expect(e).toMatchObject({ outcome: 'failure', memberUserId: r.userId });
  });

  it("follows the society's expiry setting, and a member's own password never expires", async () => {
    await updateSocietySetting(t.core, STAFF, { societyId: t.society.id, key: 'provisionalExpiryDays', value: '7' });
    const r = await issue(t);
    const own = await issue(t, { name: '本登録', kana: 'ホントウロク' });
    await makeActive(t, own.member.id);
    t.clock.advance(7 * DAY);
    await expect(login(r.userId, r.password)).rejects.toMatchObject({ code: 'PROVISIONAL_EXPIRED' });
    t.clock.advance(400 * DAY);
    await expect(login(own.userId, own.password)).resolves.toBeTruthy();
  });

  it('completeLogin stamps the last login and audits it', async () => {
    const r = await issue(t);
    await login(r.userId, r.password);
    t.clock.advance(5000);
    await completeLogin(t.core, t.society.id, { id: r.member.id, userId: r.userId }, '192.0.2.9');
    expect((await reload(t, r.member.id)).lastLoginAt!.toISOString()).toBe(t.clock.now().toISOString());
    const [e] = await queryAudit(t.core, t.society.id, { action: 'login.success' });
    expect(e).toMatchObject({ actor: r.userId, memberUserId: r.userId, ip: '192.0.2.9' });
  });

  it('canContinueLogin is false for disabled, throttled and locked accounts', async () => {
    const r = await issue(t);
    expect(await canContinueLogin(t.core, r.member.id)).toBe(true);
    await setMemberDisabled(t.core, STAFF, { societyId: t.society.id, userId: r.userId, disabled: true });
    expect(await canContinueLogin(t.core, r.member.id)).toBe(false);
  });
});
