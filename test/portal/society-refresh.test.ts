import { describe, it, expect, beforeEach, afterEach } from 'vitest';
import { testDatabases } from '../support/databases.js';
import { openPeerCore, STAFF } from '../support/core.js';
import { startTestPortal, type TestPortal } from './support/portal.js';
import { textOf } from './support/browser.js';
import type { CoreContext } from '../../src/core/context.js';
import { updateSocietySetting } from '../../src/core/society/update-society-setting.js';

/**
 * Issue 10: the portal keeps the societies in memory, yet a running portal shows a change made by
 * another process (`kosmo society set`: its own ORM and connections, here a peer core) within 5 s,
 * in real time; a change made through its own core on the very next request.
 */
describe.each(testDatabases)('a running portal and society settings on $name', (database) => {
  let p: TestPortal;
  let peer: CoreContext;
  beforeEach(async () => {
    p = await startTestPortal(database);
    peer = await openPeerCore(p);
  });
  afterEach(async () => {
    await peer.db.close();
    await p.stop();
  });

  const title = async () => textOf((await p.browser().get('/')).body);

  it('shows a change made by another process within 5 s', async () => {
    expect(await title()).toContain('大和総研健保加入者ページ');
    await updateSocietySetting(peer, STAFF, { societyId: p.society.id, key: 'portalTitle', value: '別プロセスで変えた題名' });
    const changed = Date.now();
    while (!(await title()).includes('別プロセスで変えた題名')) {
      expect(Date.now() - changed, 'seen within 5 s').toBeLessThan(5_000);
      await new Promise((r) => setTimeout(r, 100));
    }
    expect(Date.now() - changed).toBeLessThan(5_000);
  });

  it('shows a change made through its own core on the next request', async () => {
    expect(await title()).toContain('大和総研健保加入者ページ');
    await p.setSetting('portalTitle', '同じプロセスで変えた題名');
    expect(await title()).toContain('同じプロセスで変えた題名');
  });
});
