import { describe, it, expect, beforeAll, afterAll } from 'vitest';
import { testDatabases } from '../../support/databases.js';
import { createTestCore, STAFF, type TestCore } from '../../support/core.js';
import { createSociety } from '../../../src/core/society/create-society.js';
import { searchMembers } from '../../../src/core/accounts/search-members.js';
import { changeUserId } from '../../../src/core/profile/change-user-id.js';
import { issue } from './fixtures.js';

describe.each(testDatabases)('member search on $name', (database) => {
  let t: TestCore;
  let otherSocietyId: number;
  beforeAll(async () => {
    t = await createTestCore(database);
    const taro = await issue(t, { email: 'taro.y@example.jp', cardSymbol: '10', cardNumber: '12345' });
    await changeUserId(t.core, { societyId: t.society.id, memberId: taro.member.id, ip: null }, 'taro_yama');
    const hanako = await issue(t, { name: '佐藤花子', kana: 'サトウハナコ', birthDate: '1985-01-15', email: 'hanako%s@example.jp', cardNumber: '67890' });
    await changeUserId(t.core, { societyId: t.society.id, memberId: hanako.member.id, ip: null }, 'taroxyama');
    await issue(t, { name: '100%会員', kana: 'ヒャクパーセントカイイン', birthDate: '1990-03-03' });
    await issue(t, { name: '下線_会員', kana: 'カセンカイイン', birthDate: '1991-04-04' });
    // Another society: same name, same card number, same birth date: never found from the first.
    otherSocietyId = (await createSociety(t.core, STAFF, { code: 'other', name: '別健保' })).id;
    const stranger = await issue(t, { email: 'taro.y2@example.jp', cardNumber: '12345' }, otherSocietyId);
    await changeUserId(t.core, { societyId: otherSocietyId, memberId: stranger.member.id, ip: null }, 'taro_yama2');
  });
  afterAll(async () => t.close());

  const names = async (q: string, limit?: number) => (await searchMembers(t.core, t.society.id, q, limit)).map((m) => m.name).sort();

  it('finds by user ID prefix, case-insensitively and full-width folded', async () => {
    expect(await names('taro_')).toEqual(['山田太郎']);
    expect(await names('TARO_Y')).toEqual(['山田太郎']);
    expect(await names('ｔａｒｏ＿')).toEqual(['山田太郎']);
  });

  it('finds by name and kana anywhere in them, half-width kana folded', async () => {
    expect(await names('太郎')).toEqual(['山田太郎']);
    expect(await names('ハナコ')).toEqual(['佐藤花子']);
    expect(await names('ｻﾄｳ')).toEqual(['佐藤花子']);
  });

  it('finds by card number prefix, email prefix and birth date in either form', async () => {
    expect(await names('123')).toEqual(['山田太郎']);
    expect(await names('6789')).toEqual(['佐藤花子']);
    expect(await names('taro.y@')).toEqual(['山田太郎']);
    expect(await names('19850115')).toEqual(['佐藤花子']);
    expect(await names('1990-03-03')).toEqual(['100%会員']);
  });

  it('treats % and _ as the characters themselves, not LIKE wildcards', async () => {
    expect(await names('%')).toEqual(['100%会員']);
    expect(await names('_')).toEqual(['下線_会員']);
    // "taro_" must not match taroxyama (where _ would match any character) …
    expect(await names('taro_y')).toEqual(['山田太郎']);
    // … and "hanako%" finds only the address that really has a %.
    expect(await names('hanako%s')).toEqual(['佐藤花子']);
    expect(await names('hanako%x')).toEqual([]);
    expect(await names('\\')).toEqual([]);
  });

  it('never finds a member of another society', async () => {
    expect(await names('taro_yama2')).toEqual([]);
    expect(await names('taro.y2')).toEqual([]);
    expect(await names('12345')).toEqual(['山田太郎']);
    expect((await searchMembers(t.core, otherSocietyId, '太郎')).map((m) => m.userId)).toEqual(['taro_yama2']);
  });

  it('returns nothing for empty text and honours the limit', async () => {
    expect(await names('')).toEqual([]);
    expect(await names('   ')).toEqual([]);
    expect(await names('会員')).toHaveLength(2);
    expect(await names('会員', 1)).toHaveLength(1);
  });
});
