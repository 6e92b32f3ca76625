import { issueMember } from '../../src/core/accounts/issue-member.js';
import { Member, TotpDevice } from '../../src/core/db/entities/index.js';
import { beginTotpSetup } from '../../src/core/factors/begin-totp-setup.js';
import { confirmTotpSetup } from '../../src/core/factors/confirm-totp-setup.js';
import { totpCodeAt } from '../../src/core/credentials/totp/index.js';
import { totpSealContext } from '../../src/core/factors/totp-seal-context.js';
import { STAFF, type TestCore } from './core.js';

let n = 0;

/** An active member (first login done) with one authenticator-app device; returns its seed. */
export async function activeMemberWithTotp(t: TestCore, deviceName = 'iPhone') {
  n += 1;
  const issued = await issueMember(t.core, STAFF, {
    societyId: t.society.id,
    member: {
      name: '山田太郎',
      kana: 'ヤマダタロウ',
      birthDate: '1979-08-22',
      email: `member${n}@example.jp`,
      cardNumber: `${1000 + n}`,
    },
  });
  const em = t.core.db.em();
  const m = await em.findOneOrFail(Member, { id: issued.member.id });
  m.onboardingStep = 'factor_setup';
  await em.flush();
  const setup = await beginTotpSetup(t.core, { societyId: t.society.id, memberId: m.id, ip: null });
  const secret = t.core.secretBox.open(setup.secretEnc, totpSealContext(t.society.id, m.id));
  await confirmTotpSetup(t.core, { societyId: t.society.id, memberId: m.id, ip: null }, { secretEnc: setup.secretEnc, code: totpCodeAt(secret, t.clock.now()), deviceName });
  return { memberId: m.id, userId: issued.userId, password: issued.password, secret, secretEnc: setup.secretEnc };
}

export async function deviceIds(t: TestCore, memberId: number): Promise<number[]> {
  return (await t.core.db.em().find(TotpDevice, { member: memberId }, { orderBy: { id: 'asc' } })).map((d) => d.id);
}
