import { describe, it, expect, beforeEach } from 'vitest';
import { testDatabases } from '../../support/databases.js';
import { STAFF, type TestCore } from '../../support/core.js';
import { publishTerms } from '../../../src/core/terms/publish-terms.js';
import { listTerms, membersPendingTerms } from '../../../src/core/terms/list-terms.js';
import { acceptTerms } from '../../../src/core/terms/accept-terms.js';
import { currentTerms, termsPending, acceptedVersion } from '../../../src/core/terms/current-terms.js';
import { setMemberDisabled } from '../../../src/core/accounts/set-member-status.js';
import { queryAudit } from '../../../src/core/audit/query-audit.js';
import { staff } from '../../../src/core/actor.js';
import { TermsAcceptance } from '../../../src/core/db/entities/index.js';
import { atStep, issue, perTestSociety, reload } from '../accounts/fixtures.js';

describe.each(testDatabases)('terms of use (§2.3 step 2, §2.12) on $name', (database) => {
  const current = perTestSociety(database);
  let t: TestCore;
  beforeEach(() => {
    t = current();
  });

  it('publishes numbered versions per society, normalising the text, recording who published', async () => {
    const v1 = await publishTerms(t.core, staff('佐藤'), { societyId: t.society.id, body: '\uFEFF第1条\r\n本規約は…\r\n\r\n' });
    expect(v1).toStrictEqual({ version: 1, title: '利用規約', body: '第1条\n本規約は…', publishedAt: t.clock.now(), publishedBy: '佐藤' });
    t.clock.advanceSeconds(60);
    const v2 = await publishTerms(t.core, STAFF, { societyId: t.society.id, title: '利用規約(改定)', body: '第1条 改定' });
    expect(v2.version).toBe(2);
    // Numbering is per society.
    const elsewhere = await publishTerms(t.core, STAFF, { societyId: 1, body: 'x' });
    const elsewhereLatest = (await currentTerms(t.core.db.em(), 1))!.version;
    expect(elsewhere.version).toBe(elsewhereLatest);
    expect((await currentTerms(t.core.db.em(), t.society.id))!.version).toBe(2);
    const list = await listTerms(t.core, t.society.id);
    expect(list.map((v) => [v.version, v.title, v.publishedBy])).toEqual([
      [2, '利用規約(改定)', 'tester'],
      [1, '利用規約', '佐藤'],
    ]);
    expect(list[1]!.publishedAt).toBe('2026-04-01T00:00:00.000Z');
    const events = await queryAudit(t.core, t.society.id, { action: 'terms.publish' });
    expect(events.map((e) => e.details)).toEqual([
      { version: 2, title: '利用規約(改定)' },
      { version: 1, title: '利用規約' },
    ]);
  });

  it('refuses an empty text or title', async () => {
    await expect(publishTerms(t.core, STAFF, { societyId: t.society.id, body: ' \r\n ' })).rejects.toMatchObject({ code: 'TERMS_EMPTY' });
    await expect(publishTerms(t.core, STAFF, { societyId: t.society.id, body: 'x', title: ' ' })).rejects.toMatchObject({ code: 'INPUT_INVALID', details: { field: 'title' } });
    expect(await listTerms(t.core, t.society.id)).toEqual([]);
  });

  it('records an acceptance once, with time and address, and moves first login on', async () => {
    await publishTerms(t.core, STAFF, { societyId: t.society.id, body: '第1条' });
    const r = await issue(t);
    await atStep(t, r.member.id, 'terms');
    await acceptTerms(t.core, { societyId: t.society.id, memberId: r.member.id, ip: '192.0.2.5' }, 1);
    await acceptTerms(t.core, { societyId: t.society.id, memberId: r.member.id, ip: '192.0.2.5' }, 1);
    const rows = await t.core.db.em().find(TermsAcceptance, { member: r.member.id });
    expect(rows).toHaveLength(1);
    expect(rows[0]).toMatchObject({ version: 1, ip: '192.0.2.5' });
    expect(rows[0]!.acceptedAt.toISOString()).toBe(t.clock.now().toISOString());
    expect((await reload(t, r.member.id)).onboardingStep).toBe('user_id');
    expect(await acceptedVersion(t.core.db.em(), r.member.id)).toBe(1);
    expect((await listTerms(t.core, t.society.id))[0]!.acceptedBy).toBe(1);
  });

  it('refuses an acceptance of an older version once a newer one appeared (TERMS_OUTDATED)', async () => {
    await publishTerms(t.core, STAFF, { societyId: t.society.id, body: '第1条' });
    const r = await issue(t);
    await publishTerms(t.core, STAFF, { societyId: t.society.id, body: '第1条 改定' });
    await expect(acceptTerms(t.core, { societyId: t.society.id, memberId: r.member.id, ip: null }, 1)).rejects.toMatchObject({ code: 'TERMS_OUTDATED', kind: 'conflict', details: { current: 2 } });
    expect(await termsPending(t.core.db.em(), t.society.id, r.member.id)).toMatchObject({ version: 2 });
    await acceptTerms(t.core, { societyId: t.society.id, memberId: r.member.id, ip: null }, 2);
    expect(await termsPending(t.core.db.em(), t.society.id, r.member.id)).toBeNull();
  });

  it('refuses an acceptance when nothing is published (TERMS_NOT_PUBLISHED)', async () => {
    const r = await issue(t);
    await expect(acceptTerms(t.core, { societyId: t.society.id, memberId: r.member.id, ip: null }, 1)).rejects.toMatchObject({ code: 'TERMS_NOT_PUBLISHED' });
    expect(await termsPending(t.core.db.em(), t.society.id, r.member.id)).toBeNull();
  });

  it('lists the members who have not accepted the current version: not disabled ones, not other societies', async () => {
    expect(await membersPendingTerms(t.core, t.society.id)).toEqual({ version: null, total: 0, members: [] });
    await publishTerms(t.core, STAFF, { societyId: t.society.id, body: '第1条' });
    const a = await issue(t);
    const b = await issue(t, { name: '佐藤花子', kana: 'サトウハナコ' });
    const c = await issue(t, { name: '無効', kana: 'ムコウ' });
    await issue(t, {}, 1);
    await setMemberDisabled(t.core, STAFF, { societyId: t.society.id, userId: c.userId, disabled: true });
    let pending = await membersPendingTerms(t.core, t.society.id);
    expect(pending.version).toBe(1);
    expect(pending.total).toBe(2);
    expect(pending.members.map((m) => m.userId).sort()).toEqual([a.userId, b.userId].sort());
    expect(pending.members.find((m) => m.userId === a.userId)).toEqual({ userId: a.userId, name: '山田太郎', kana: 'ヤマダタロウ' });
    expect((await membersPendingTerms(t.core, t.society.id, 1)).members).toHaveLength(1);
    await acceptTerms(t.core, { societyId: t.society.id, memberId: a.member.id, ip: null }, 1);
    pending = await membersPendingTerms(t.core, t.society.id);
    expect(pending.total).toBe(1);
    expect(pending.members.map((m) => m.userId)).toEqual([b.userId]);
    // A new version makes everyone pending again.
    await publishTerms(t.core, STAFF, { societyId: t.society.id, body: '第1条 改定' });
    expect((await membersPendingTerms(t.core, t.society.id)).total).toBe(2);
  });

  it('a member of another society cannot accept this society’s terms', async () => {
    await publishTerms(t.core, STAFF, { societyId: t.society.id, body: '第1条' });
    const stranger = await issue(t, {}, 1);
    await expect(acceptTerms(t.core, { societyId: t.society.id, memberId: stranger.member.id, ip: null }, 1)).rejects.toThrow();
    expect(await t.core.db.em().count(TermsAcceptance, { member: stranger.member.id })).toBe(0);
  });
});
