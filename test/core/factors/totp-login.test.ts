import { describe, it, expect, beforeEach, afterEach } from 'vitest';
import { testDatabases } from '../../support/databases.js';
import { createTestCore, type TestCore } from '../../support/core.js';
import { activeMemberWithTotp, deviceIds } from '../../support/members.js';
import { Member, TotpDevice } from '../../../src/core/db/entities/index.js';
import { verifyTotpLogin } from '../../../src/core/factors/verify-totp-login.js';
import { beginTotpSetup } from '../../../src/core/factors/begin-totp-setup.js';
import { confirmTotpSetup } from '../../../src/core/factors/confirm-totp-setup.js';
import { deleteFactor } from '../../../src/core/factors/delete-factor.js';
import { listLoginMethods } from '../../../src/core/factors/list-factors.js';
import { totpCodeAt } from '../../../src/core/credentials/totp/index.js';
import { totpSealContext } from '../../../src/core/factors/totp-seal-context.js';
import { queryAudit } from '../../../src/core/audit/query-audit.js';
import { loadThrottle } from '../../../src/core/auth/lockout.js';

describe.each(testDatabases)('one-time passwords on $name', (database) => {
  let t: TestCore;
  beforeEach(async () => {
    t = await createTestCore(database);
  });
  afterEach(async () => t.close());

  it('activates a provisional member and stores the seed only encrypted', async () => {
    const m = await activeMemberWithTotp(t);
    const em = t.core.db.em();
    expect((await em.findOneOrFail(Member, { id: m.memberId })).status).toBe('active');
    const [device] = await em.find(TotpDevice, { member: m.memberId });
    expect(device!.secretEnc).not.toContain(m.secret);
    expect(device!.secretEnc.startsWith('v1.')).toBe(true);
  });

  it('refuses the set-up code for login (its step is already used) and accepts the next step', async () => {
    const m = await activeMemberWithTotp(t);
    const code = totpCodeAt(m.secret, t.clock.now());
    await expect(verifyTotpLogin(t.core, { societyId: t.society.id, memberId: m.memberId, ip: null }, { code })).rejects.toMatchObject({ code: 'OTP_INVALID' });
    t.clock.advanceSeconds(30);
    await expect(verifyTotpLogin(t.core, { societyId: t.society.id, memberId: m.memberId, ip: null }, { code: totpCodeAt(m.secret, t.clock.now()) })).resolves.toBeUndefined();
  });

  it('never accepts a code whose time step was already used', async () => {
    const m = await activeMemberWithTotp(t);
    t.clock.advanceSeconds(60);
    const code = totpCodeAt(m.secret, t.clock.now());
    await verifyTotpLogin(t.core, { societyId: t.society.id, memberId: m.memberId, ip: null }, { code });
    await expect(verifyTotpLogin(t.core, { societyId: t.society.id, memberId: m.memberId, ip: null }, { code })).rejects.toMatchObject({ code: 'OTP_INVALID', details: { reason: 'replay' } });
    expect((await queryAudit(t.core, t.society.id, { action: 'login.otp', limit: 1 }))[0]).toMatchObject({ outcome: 'failure', details: { reason: 'replay' } });
    // an older code still inside the drift window is refused as well
    const previous = totpCodeAt(m.secret, new Date(t.clock.now().getTime() - 30_000));
    await expect(verifyTotpLogin(t.core, { societyId: t.society.id, memberId: m.memberId, ip: null }, { code: previous })).rejects.toMatchObject({ code: 'OTP_INVALID' });
  });

  it('accepts one step of drift either way and no more', async () => {
    const m = await activeMemberWithTotp(t);
    t.clock.advanceSeconds(300);
    const at = (s: number) => totpCodeAt(m.secret, new Date(t.clock.now().getTime() + s * 1000));
    await expect(verifyTotpLogin(t.core, { societyId: t.society.id, memberId: m.memberId, ip: null }, { code: at(-60) })).rejects.toMatchObject({ code: 'OTP_INVALID' });
    await expect(verifyTotpLogin(t.core, { societyId: t.society.id, memberId: m.memberId, ip: null }, { code: at(-30) })).resolves.toBeUndefined();
    t.clock.advanceSeconds(120);
    await expect(verifyTotpLogin(t.core, { societyId: t.society.id, memberId: m.memberId, ip: null }, { code: at(60) })).rejects.toMatchObject({ code: 'OTP_INVALID' });
    await expect(verifyTotpLogin(t.core, { societyId: t.society.id, memberId: m.memberId, ip: null }, { code: at(30) })).resolves.toBeUndefined();
  });

  it('with two devices checks the chosen one only', async () => {
    const m = await activeMemberWithTotp(t, '社用');
    const setup = await beginTotpSetup(t.core, { societyId: t.society.id, memberId: m.memberId, ip: null });
    const second = t.core.secretBox.open(setup.secretEnc, totpSealContext(t.society.id, m.memberId));
    await confirmTotpSetup(t.core, { societyId: t.society.id, memberId: m.memberId, ip: null }, { secretEnc: setup.secretEnc, code: totpCodeAt(second, t.clock.now()), deviceName: '個人用' });
    const [firstId, secondId] = await deviceIds(t, m.memberId);
    t.clock.advanceSeconds(30);
    const code2 = totpCodeAt(second, t.clock.now());
    await expect(verifyTotpLogin(t.core, { societyId: t.society.id, memberId: m.memberId, ip: null }, { deviceId: String(firstId), code: code2 })).rejects.toMatchObject({ code: 'OTP_INVALID' });
    await expect(verifyTotpLogin(t.core, { societyId: t.society.id, memberId: m.memberId, ip: null }, { code: code2 })).rejects.toMatchObject({ code: 'OTP_INVALID' });
    await expect(verifyTotpLogin(t.core, { societyId: t.society.id, memberId: m.memberId, ip: null }, { deviceId: String(secondId), code: code2 })).resolves.toBeUndefined();
  });

  it('refuses a duplicate device name and a wrong set-up code with 認証コードが異なります', async () => {
    const m = await activeMemberWithTotp(t, 'iPhone');
    const setup = await beginTotpSetup(t.core, { societyId: t.society.id, memberId: m.memberId, ip: null });
    const s = t.core.secretBox.open(setup.secretEnc, totpSealContext(t.society.id, m.memberId));
    await expect(confirmTotpSetup(t.core, { societyId: t.society.id, memberId: m.memberId, ip: null }, { secretEnc: setup.secretEnc, code: '000000', deviceName: 'x' })).rejects.toMatchObject({
      code: 'OTP_SETUP_INVALID',
      message: '認証コードが異なります',
    });
    await expect(
      confirmTotpSetup(t.core, { societyId: t.society.id, memberId: m.memberId, ip: null }, { secretEnc: setup.secretEnc, code: totpCodeAt(s, t.clock.now()), deviceName: 'iPhone' }),
    ).rejects.toMatchObject({
      code: 'DEVICE_NAME_TAKEN',
    });
    await expect(
      confirmTotpSetup(t.core, { societyId: t.society.id, memberId: m.memberId, ip: null }, { secretEnc: setup.secretEnc, code: totpCodeAt(s, t.clock.now()), deviceName: '  ' }),
    ).rejects.toMatchObject({
      code: 'DEVICE_NAME_REQUIRED',
    });
  });

  it('counts wrong codes towards the lockout and locks at the society limit', async () => {
    const m = await activeMemberWithTotp(t);
    for (let i = 0; i < 19; i++) {
      await expect(verifyTotpLogin(t.core, { societyId: t.society.id, memberId: m.memberId, ip: null }, { code: '000000' })).rejects.toMatchObject({ code: 'OTP_INVALID' });
      t.clock.advanceSeconds(3600);
    }
    await expect(verifyTotpLogin(t.core, { societyId: t.society.id, memberId: m.memberId, ip: null }, { code: '000000' })).rejects.toMatchObject({ code: 'ACCOUNT_LOCKED' });
    expect((await loadThrottle(t.core, t.society.id, m.memberId))!.lockedAt).not.toBeNull();
  });

  it('refuses to delete the last second factor and deletes one of two', async () => {
    const m = await activeMemberWithTotp(t, 'A');
    const [only] = await deviceIds(t, m.memberId);
    await expect(deleteFactor(t.core, { societyId: t.society.id, memberId: m.memberId, ip: null }, { kind: 'otp', id: only! })).rejects.toMatchObject({ code: 'LAST_FACTOR' });
    const setup = await beginTotpSetup(t.core, { societyId: t.society.id, memberId: m.memberId, ip: null });
    const s = t.core.secretBox.open(setup.secretEnc, totpSealContext(t.society.id, m.memberId));
    await confirmTotpSetup(t.core, { societyId: t.society.id, memberId: m.memberId, ip: null }, { secretEnc: setup.secretEnc, code: totpCodeAt(s, t.clock.now()), deviceName: 'B' });
    await deleteFactor(t.core, { societyId: t.society.id, memberId: m.memberId, ip: null }, { kind: 'otp', id: only! });
    expect((await listLoginMethods(t.core, { societyId: t.society.id, memberId: m.memberId, ip: null })).otp.map((d) => d.name)).toEqual(['B']);
  });

  it('does not decrypt a seed sealed for another member', async () => {
    const a = await activeMemberWithTotp(t, 'A');
    const b = await activeMemberWithTotp(t, 'B');
    expect(() => t.core.secretBox.open(a.secretEnc, totpSealContext(t.society.id, b.memberId))).toThrow();
  });
});
