import { describe, it, expect, beforeEach } from 'vitest';
import { testDatabases } from '../../support/databases.js';
import { STAFF, type TestCore } from '../../support/core.js';
import { createSociety } from '../../../src/core/society/create-society.js';
import { updateSocietySetting } from '../../../src/core/society/update-society-setting.js';
import { reissuePassword } from '../../../src/core/accounts/reissue-password.js';
import { showMember } from '../../../src/core/accounts/member-detail.js';
import { queryAudit } from '../../../src/core/audit/query-audit.js';
import { Member } from '../../../src/core/db/entities/index.js';
import { credentialOf, databaseText, issue, phcParams, reload, TARO, perTestSociety } from './fixtures.js';

function inputError(p: Promise<unknown>, field: string) {
  return expect(p).rejects.toMatchObject({ code: 'INPUT_INVALID', details: { field } });
}

describe.each(testDatabases)('issuing members on $name', (database) => {
  const current = perTestSociety(database);
  let t: TestCore;
  beforeEach(() => {
    t = current();
  });

  it('issues a provisional member with a provisional password that expires after 90 days', async () => {
    const r = await issue(t, { email: 'Taro@Example.JP', cardSymbol: '12', cardNumber: '345', cardBranch: '01', relationship: 'family' });
    expect(r.userId).toMatch(/^k[a-z2-9]{9}$/);
    expect(r.password).toMatch(/^[A-Za-z2-9]{12}$/);
    const m = await reload(t, r.member.id);
    expect(m).toMatchObject({
      userId: r.userId,
      name: TARO.name,
      kana: TARO.kana,
      birthDate: '1979-08-22',
      email: 'taro@example.jp',
      cardKey: '12|345|01',
      relationship: 'family',
      status: 'provisional',
      onboardingStep: 'birth_date',
    });
    expect(m.provisionalExpiresAt!.toISOString()).toBe('2026-06-30T00:00:00.000Z');
    expect(m.issuedAt.toISOString()).toBe(t.clock.now().toISOString());
    const cred = await credentialOf(t, r.member.id);
    expect(cred.provisional).toBe(true);
    expect(await t.core.hasher.verify(cred.hash, r.password)).toBe(true);
    // The answer is plain data (no entity crosses the core's API): exactly these fields.
    expect(Object.getPrototypeOf(r.member)).toBe(Object.prototype);
    expect(r.member).toEqual({ id: m.id, userId: r.userId, name: TARO.name, kana: TARO.kana, email: 'taro@example.jp', provisionalExpiresAt: m.provisionalExpiresAt });
  });

  it("uses the society's provisional expiry", async () => {
    await updateSocietySetting(t.core, STAFF, { societyId: t.society.id, key: 'provisionalExpiryDays', value: '14' });
    const r = await issue(t);
    expect((await reload(t, r.member.id)).provisionalExpiresAt!.toISOString()).toBe('2026-04-15T00:00:00.000Z');
  });

  it('stores the password as argon2id m=19456,t=2,p=1 and no plain password in any table', async () => {
    const a = await issue(t, { email: 'taro@example.jp', cardNumber: '111' });
    const b = await issue(t, { name: '山田花子', kana: 'ヤマダハナコ', cardNumber: '222' });
    const again = await reissuePassword(t.core, STAFF, { societyId: t.society.id, userId: b.userId });
    for (const id of [a.member.id, b.member.id]) {
      expect(phcParams((await credentialOf(t, id)).hash)).toEqual({ id: 'argon2id', m: '19456', t: '2', p: '1' });
    }
    const text = await databaseText(t);
    expect(text).toContain(a.userId); // the scan does see the member rows
    expect(text).toContain('$argon2id$');
    for (const pw of [a.password, b.password, again.password]) expect(text).not.toContain(pw);
  });

  it('refuses the same insurance card twice in a society (MEMBER_EXISTS), also when typed full-width', async () => {
    await issue(t, { cardSymbol: '12', cardNumber: '345', cardBranch: '01' });
    await expect(issue(t, { name: '別人', kana: 'ベツジン', cardSymbol: '12', cardNumber: '345', cardBranch: '01' })).rejects.toMatchObject({
      code: 'MEMBER_EXISTS',
      kind: 'conflict',
    });
    await expect(issue(t, { cardSymbol: '１２', cardNumber: '３４５', cardBranch: '０１' })).rejects.toMatchObject({ code: 'MEMBER_EXISTS' });
    // Another branch number is another person (a family member on the same card).
    await expect(issue(t, { cardSymbol: '12', cardNumber: '345', cardBranch: '02' })).resolves.toBeTruthy();
    expect(await t.core.db.em().count(Member, { society: t.society.id })).toBe(2);
    expect((await queryAudit(t.core, t.society.id, { action: 'member.issue' })).length).toBe(2);
  });

  it('allows the same card in another society, and members without a card', async () => {
    const other = await createSociety(t.core, STAFF, { code: 'other', name: '別健保' });
    await issue(t, { cardNumber: '345' });
    await expect(issue(t, { cardNumber: '345' }, other.id)).resolves.toBeTruthy();
    await issue(t);
    await issue(t);
    expect(await t.core.db.em().count(Member, { society: t.society.id })).toBe(3);
  });

  it('validates the input and names the field', async () => {
    await inputError(issue(t, { birthDate: '1979-13-40' }), 'birth-date');
    await inputError(issue(t, { birthDate: '2030-01-01' }), 'birth-date');
    await inputError(issue(t, { email: 'a@@b' }), 'email');
    await inputError(issue(t, { name: '  ' }), 'name');
    await inputError(issue(t, { name: 'x'.repeat(101) }), 'name');
    await inputError(issue(t, { name: '山田\u0007太郎' }), 'name');
    await inputError(issue(t, { kana: 'Yamada' }), 'kana');
    await inputError(issue(t, { relationship: 'spouse' }), 'relationship');
    await inputError(issue(t, { cardNumber: '12 34' }), 'card-number');
    await inputError(issue(t, { cardBranch: '123456789' }), 'card-branch');
    expect(await t.core.db.em().count(Member, { society: t.society.id })).toBe(0);
  });

  it('folds input: half-width kana, full-width digits, 本人/家族', async () => {
    const r = await issue(t, { name: ' 山田　太郎 ', kana: 'ﾔﾏﾀﾞ ﾀﾛｳ', birthDate: '１９７９０８２２', cardNumber: '１２３', relationship: '家族' });
    expect(await reload(t, r.member.id)).toMatchObject({ name: '山田 太郎', kana: 'ヤマダ タロウ', birthDate: '1979-08-22', cardNumber: '123', relationship: 'family' });
  });

  it('shows a member to staff without any hash or secret', async () => {
    const r = await issue(t, { email: 'taro@example.jp' });
    const d = await showMember(t.core, t.society.id, r.userId.toUpperCase());
    expect(d).toMatchObject({ userId: r.userId, status: 'provisional', onboardingStep: 'birth_date', lock: { state: 'open', failures: 0 }, devices: [], acceptedTermsVersion: null });
    const json = JSON.stringify(d);
    expect(json).not.toContain('argon2');
    expect(json).not.toContain(r.password);
    await expect(showMember(t.core, t.society.id, 'knobody234')).rejects.toMatchObject({ code: 'MEMBER_NOT_FOUND', kind: 'not_found' });
  });

  it('audits the issue with the staff actor', async () => {
    const r = await issue(t);
    const [e] = await queryAudit(t.core, t.society.id, { action: 'member.issue' });
    expect(e).toMatchObject({ actorType: 'staff', actor: 'tester', memberUserId: r.userId, outcome: 'success', at: t.clock.now().toISOString() });
  });
});
