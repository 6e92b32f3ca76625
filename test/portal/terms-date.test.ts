import { describe, it, expect, afterEach } from 'vitest';
import { testDatabases } from '../support/databases.js';
import { STAFF } from '../support/core.js';
import { startTestPortal, type TestPortal } from './support/portal.js';
import { login, pathOf } from './support/flows.js';
import { publishTerms } from '../../src/core/terms/publish-terms.js';

/**
 * The terms page says when the version was published in Japan time, as YYYY/MM/DD: a version
 * published at 01:30 on 30 November in Japan is 29 November in UTC, and members must read the 30th.
 */
describe.each(testDatabases)('terms publication date on $name', (database) => {
  let p: TestPortal;
  afterEach(async () => p?.stop());

  it('shows the publication date in Japan time, YYYY/MM/DD, over HTTP', async () => {
    p = await startTestPortal(database, { withTerms: false });
    p.clock.set('2026-11-29T16:30:00Z'); // 2026-11-30 01:30 in Japan
    await publishTerms(p.core, STAFF, { societyId: p.society.id, title: '利用規約', body: '第1条(目的)\n本文です。' });
    p.clock.set('2026-11-30T00:00:00Z');
    await publishTerms(p.core, STAFF, { societyId: p.society.id, title: '利用規約', body: '第1条(目的)\n改定版です。' });
    const issued = await p.issue();
    const b = p.browser();
    await login(b, issued.userId, issued.password);
    const page = await b.post('/login/birth-date', { birthDate: '19790822' });
    expect(pathOf(page)).toBe('/login/terms');
    expect(page.body).toContain('第2版(2026/11/30 公開)');
    expect(page.body).not.toMatch(/2026-11-\d\d/);

    // Published just before midnight UTC, already the next day in Japan.
    p.clock.set('2026-12-31T15:00:00Z');
    await publishTerms(p.core, STAFF, { societyId: p.society.id, title: '利用規約', body: '第3版です。' });
    const b2 = p.browser();
    await login(b2, issued.userId, issued.password);
    const again = await b2.post('/login/birth-date', { birthDate: '19790822' });
    expect(pathOf(again)).toBe('/login/terms');
    expect(again.body).toContain('第3版(2027/01/01 公開)');
  });
});
