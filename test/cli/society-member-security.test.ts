import { describe, it, expect } from 'vitest';
import { initializedDataDir } from '../support/cli.js';

/** Issue 13's society settings through the real binary: defaults, set, and a refused value. */
describe('kosmo society: member self-service security settings', () => {
  const { kosmo } = initializedDataDir();

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
