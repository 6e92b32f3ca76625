import { Passkey, PasswordCredential, TotpDevice } from '../db/entities/index.js';
import type { ActingMember } from '../actor.js';
import type { CoreContext } from '../context.js';

export interface FactorItem {
  id: number;
  name: string;
  createdAt: Date;
  lastUsedAt: Date | null;
}

export interface LoginMethods {
  passwordCreatedAt: Date | null;
  otp: FactorItem[];
  passkeys: FactorItem[];
}

/** ログイン方法変更 (§2.8): the password's creation date and the member's second factors. */
export async function listLoginMethods(core: CoreContext, acting: ActingMember): Promise<LoginMethods> {
  const { memberId } = acting;
  const em = core.db.em();
  const cred = await em.findOne(PasswordCredential, { member: memberId });
  const otp = await em.find(TotpDevice, { member: memberId }, { orderBy: { id: 'asc' } });
  const pk = await em.find(Passkey, { member: memberId }, { orderBy: { id: 'asc' } });
  return {
    passwordCreatedAt: cred?.createdAt ?? null,
    otp: otp.map((d) => ({ id: d.id, name: d.name, createdAt: d.createdAt, lastUsedAt: d.lastUsedAt ?? null })),
    passkeys: pk.map((p) => ({ id: p.id, name: p.label, createdAt: p.createdAt, lastUsedAt: p.lastUsedAt ?? null })),
  };
}
