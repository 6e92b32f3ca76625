import { describe, it, expect, beforeEach, afterEach } from 'vitest';
import { testDatabases } from '../../support/databases.js';
import { createTestCore, openPeerCore, STAFF, type TestCore } from '../../support/core.js';
import type { CoreContext } from '../../../src/core/context.js';
import { updateSocietySetting } from '../../../src/core/society/update-society-setting.js';
import { addSociety } from '../../../src/core/society/add-society.js';
import { societyForHost } from '../../../src/core/society/find-society.js';
import { SOCIETY_CACHE_MAX_AGE_MS, SocietyCache } from '../../../src/core/society/society-cache.js';

/**
 * The society of every portal request comes from an in-process cache (issue 10): another process's
 * change (`kosmo society set`) is seen within SOCIETY_CACHE_MAX_AGE_MS (< 5 s), one made in this
 * process at once. "Another process" here is a peer core: its own ORM, connections and store.
 */
describe.each(testDatabases)('society cache on $name', (database) => {
  let t: TestCore;
  let peer: CoreContext;
  beforeEach(async () => {
    t = await createTestCore(database);
    peer = await openPeerCore(t);
  });
  afterEach(async () => {
    await peer.db.close();
    await t.close();
  });

  it('re-reads another process’s change once its copy is older than the limit, which is under 5 s', async () => {
    expect(SOCIETY_CACHE_MAX_AGE_MS).toBeLessThan(5_000);
    let now = 1_000;
    const cache = new SocietyCache(t.core.db, { now: () => now });
    expect((await cache.forHost('localhost'))?.portalTitle).toBe('大和総研健保加入者ページ');
    await updateSocietySetting(peer, STAFF, { societyId: t.society.id, key: 'portalTitle', value: '新しい加入者ページ' });
    now += SOCIETY_CACHE_MAX_AGE_MS - 1;
    expect((await cache.forHost('localhost'))?.portalTitle).toBe('大和総研健保加入者ページ');
    now += 1;
    expect((await cache.forHost('localhost'))?.portalTitle).toBe('新しい加入者ページ');
  });

  it('sees a change made in this process on the next request, without waiting', async () => {
    expect((await societyForHost(t.core, 'localhost'))?.portalTitle).toBe('大和総研健保加入者ページ');
    await updateSocietySetting(t.core, STAFF, { societyId: t.society.id, key: 'portalTitle', value: 'すぐ変わるページ' });
    expect((await societyForHost(t.core, 'localhost'))?.portalTitle).toBe('すぐ変わるページ');
    // A second society with its host name: chosen by host at once, the first keeps its own.
    await updateSocietySetting(t.core, STAFF, { societyId: t.society.id, key: 'hostNames', value: 'www.sckenpo.example' });
    await addSociety(t.core, STAFF, { code: 'other', name: '別健保', hostNames: ['other.example'] });
    expect((await societyForHost(t.core, 'OTHER.example:8443'))?.code).toBe('other');
    expect((await societyForHost(t.core, 'www.sckenpo.example'))?.code).toBe('sckenpo');
    expect(await societyForHost(t.core, 'unknown.example')).toBeNull();
  });

  it('reads through one prepared statement and shares frozen rows between requests', async () => {
    const a = await societyForHost(t.core, 'localhost');
    const b = await societyForHost(t.core, 'localhost');
    expect(a).toBe(b);
    expect(Object.isFrozen(a)).toBe(true);
    expect(Object.isFrozen(a!.settings.hostNames)).toBe(true);
    expect(a).toMatchObject({ id: t.society.id, code: 'sckenpo', name: '大和総研健保' });
    expect(a!.createdAt).toBeInstanceOf(Date);
    expect(a!.settings.lockout.lockAt).toBe(t.society.settings.lockout.lockAt);
  });

  it('a refresh in flight is shared, and a change committed meanwhile is not kept as fresh', async () => {
    const now = 0;
    const cache = new SocietyCache(t.core.db, { now: () => now });
    const [x, y] = await Promise.all([cache.all(), cache.all()]);
    expect(x).toBe(y);
    // Invalidated while a read runs: that read answers its callers but is not kept.
    const reading = cache.all();
    cache.invalidate();
    await reading;
    await updateSocietySetting(peer, STAFF, { societyId: t.society.id, key: 'name', value: '改名健保' });
    expect((await cache.all())[0]!.name).toBe('改名健保');
  });
});
