import { describe, it, expect, beforeAll, afterAll } from 'vitest';
import { ensureBuilt, kosmoIn, tempDataDir } from '../support/cli.js';

/** Issue 13's society settings through the real binary: defaults, set, and a refused value. */
describe('kosmo society: member self-service security settings', () => {
  const dir = tempDataDir();
  const kosmo = kosmoIn(dir.dataDir);
  beforeAll(async () => {
    ensureBuilt();
    expect((await kosmo(['init', '--society-code', 'sckenpo', '--society-name', '大和総研健保'])).code).toBe(0);
  }, 180_000);
  afterAll(() => dir.cleanup());

  it('shows the documented defaults, sets each, and refuses a value outside the choices with exit 2', async () => {
    const shown = await kosmo(['society', 'show', '--json']);
    expect(shown.json.settings).toMatchObject({
      lockout: { backoffFrom: 5, lockAt: 20, clientBackoffFrom: 5, clientLockAt: 10 },
      newDeviceNotice: true,
      passkeyFirst: true,
      recoveryCodes: { lostDevice: 'off' },
    });
    for (const [key, value] of [
      ['lockout.clientLockAt', '8'],
      ['newDeviceNotice', 'false'],
      ['passkeyFirst', 'false'],
      ['recoveryCodes.lostDevice', 'require'],
    ] as const) {
      expect((await kosmo(['society', 'set', key, value])).code, key).toBe(0);
    }
    expect((await kosmo(['society', 'show', '--json'])).json.settings).toMatchObject({
      lockout: { clientLockAt: 8 },
      newDeviceNotice: false,
      passkeyFirst: false,
      recoveryCodes: { lostDevice: 'require' },
    });
    expect((await kosmo(['society', 'set', 'recoveryCodes.lostDevice', 'sometimes'])).code).toBe(2);
    expect((await kosmo(['society', 'set', 'lockout.clientLockAt', '0'])).code).toBe(2);
  });
});
