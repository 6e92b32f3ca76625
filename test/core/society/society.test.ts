import { describe, it, expect, beforeEach, afterEach } from 'vitest';
import { testDatabases } from '../../support/databases.js';
import { createTestCore, STAFF, type TestCore } from '../../support/core.js';
import { findSociety, societyForHost } from '../../../src/core/society/find-society.js';
import { updateSocietySetting } from '../../../src/core/society/update-society-setting.js';
import { createSociety } from '../../../src/core/society/create-society.js';
import { queryAudit } from '../../../src/core/audit/query-audit.js';

describe.each(testDatabases)('societies on $name', (database) => {
  let t: TestCore;
  beforeEach(async () => {
    t = await createTestCore(database);
  });
  afterEach(async () => t.close());

  it('creates a society with the documented default settings', async () => {
    const s = await findSociety(t.core);
    expect(s.code).toBe('sckenpo');
    expect(s.settings.password).toMatchObject({ minLength: 8, maxLength: 64 });
    expect(s.settings.lockout).toMatchObject({ backoffFrom: 5, lockAt: 20 });
    expect(s.settings.provisionalExpiryDays).toBe(90);
  });

  it('sets a setting added by a later release on a society stored before it (issue 13)', async () => {
    const { Society } = await import('../../../src/core/db/entities/index.js');
    const em = t.core.db.em().fork();
    const row = await em.findOneOrFail(Society, { id: t.society.id });
    const old = structuredClone(row.settings) as unknown as Record<string, unknown>;
    delete old.newDeviceNotice;
    delete old.passkeyFirst;
    delete old.recoveryCodes;
    delete (old.lockout as Record<string, unknown>).clientLockAt;
    await em.nativeUpdate(Society, { id: t.society.id }, { settings: old as never });
    await updateSocietySetting(t.core, STAFF, { societyId: t.society.id, key: 'newDeviceNotice', value: 'false' });
    await updateSocietySetting(t.core, STAFF, { societyId: t.society.id, key: 'recoveryCodes.lostDevice', value: 'accept' });
    const after = (await t.core.db.em().fork().findOneOrFail(Society, { id: t.society.id })).settings;
    expect(after).toMatchObject({ newDeviceNotice: false, passkeyFirst: true, recoveryCodes: { lostDevice: 'accept' }, lockout: { clientLockAt: 10 } });
  });

  it('refuses a second society with the same code', async () => {
    await expect(createSociety(t.core, STAFF, { code: 'SCKENPO', name: 'x' })).rejects.toMatchObject({ code: 'SOCIETY_EXISTS' });
  });

  it('sets a nested number and audits old and new value', async () => {
    await updateSocietySetting(t.core, STAFF, { societyId: t.society.id, key: 'password.minLength', value: '10' });
    expect((await findSociety(t.core)).settings.password.minLength).toBe(10);
    const [event] = await queryAudit(t.core, t.society.id, { action: 'society.setting' });
    expect(event!.details).toMatchObject({ key: 'password.minLength', before: 8, after: 10 });
  });

  it('refuses unknown keys, bad numbers and a minimum above the maximum', async () => {
    await expect(updateSocietySetting(t.core, STAFF, { societyId: t.society.id, key: 'nope', value: '1' })).rejects.toMatchObject({ code: 'SETTING_UNKNOWN' });
    await expect(updateSocietySetting(t.core, STAFF, { societyId: t.society.id, key: 'lockout.lockAt', value: 'ten' })).rejects.toMatchObject({ code: 'SETTING_INVALID' });
    await expect(updateSocietySetting(t.core, STAFF, { societyId: t.society.id, key: 'password.minLength', value: '30' })).resolves.toBeTruthy();
    await updateSocietySetting(t.core, STAFF, { societyId: t.society.id, key: 'password.maxLength', value: '40' });
    await expect(updateSocietySetting(t.core, STAFF, { societyId: t.society.id, key: 'password.maxLength', value: '20' })).rejects.toMatchObject({ code: 'SETTING_INVALID' });
  });

  it('chooses the society by host name, and the only one for any host', async () => {
    expect((await societyForHost(t.core, 'anything.example:3000'))?.code).toBe('sckenpo');
    await createSociety(t.core, STAFF, { code: 'other', name: '別健保' });
    expect(await societyForHost(t.core, 'anything.example')).toBeNull();
    await updateSocietySetting(t.core, STAFF, { societyId: t.society.id, key: 'hostNames', value: 'portal.sckenpo.example, www.sckenpo.example' });
    expect((await societyForHost(t.core, 'WWW.sckenpo.example:443'))?.code).toBe('sckenpo');
  });
});
