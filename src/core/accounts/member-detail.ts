import type { EntityManager } from '@mikro-orm/sql';
import { Passkey, PasswordCredential, TotpDevice, type MemberRow } from '../db/entities/index.js';
import type { CoreContext } from '../context.js';
import { loadThrottleIn, lockoutStatus } from '../auth/lockout.js';
import { acceptedVersion } from '../terms/current-terms.js';
import { findMemberByUserId } from './find-member.js';
import type { ValidMemberInput } from './member-input.js';

export interface DeviceView {
  kind: 'otp' | 'passkey';
  name: string;
  createdAt: string;
  lastUsedAt: string | null;
}

/** What staff see of a member (CLI `member show`, the TUI detail pane). Never a hash or secret. */
export interface MemberDetail extends ValidMemberInput {
  userId: string;
  status: string;
  lock: { state: 'open' | 'backoff' | 'locked'; failures: number; until: string | null; since: string | null };
  preferredMethod: string | null;
  onboardingStep: string | null;
  provisionalExpiresAt: string | null;
  passwordCreatedAt: string | null;
  issuedAt: string;
  firstLoginAt: string | null;
  lastLoginAt: string | null;
  acceptedTermsVersion: number | null;
  devices: DeviceView[];
}

const iso = (d: Date | null | undefined) => (d ? d.toISOString() : null);

export async function listDevices(em: EntityManager, memberId: number): Promise<DeviceView[]> {
  const otp = await em.find(TotpDevice, { member: memberId }, { orderBy: { createdAt: 'asc', id: 'asc' } });
  const pk = await em.find(Passkey, { member: memberId }, { orderBy: { createdAt: 'asc', id: 'asc' } });
  return [
    ...otp.map((d) => ({ kind: 'otp' as const, name: d.name, createdAt: d.createdAt.toISOString(), lastUsedAt: iso(d.lastUsedAt) })),
    ...pk.map((d) => ({ kind: 'passkey' as const, name: d.label, createdAt: d.createdAt.toISOString(), lastUsedAt: iso(d.lastUsedAt) })),
  ];
}

export async function memberDetailOf(core: CoreContext, em: EntityManager, m: MemberRow): Promise<MemberDetail> {
  const lockRow = await loadThrottleIn(em, m.society.id, m.id);
  const lock = lockoutStatus(lockRow, core.clock.now());
  const cred = await em.findOne(PasswordCredential, { member: m.id });
  return {
    userId: m.userId,
    name: m.name,
    kana: m.kana,
    birthDate: m.birthDate,
    email: m.email ?? null,
    cardSymbol: m.cardSymbol ?? null,
    cardNumber: m.cardNumber ?? null,
    cardBranch: m.cardBranch ?? null,
    relationship: m.relationship,
    status: m.status,
    lock: {
      state: lock.state,
      failures: lockRow?.failures ?? 0,
      until: lock.state === 'backoff' ? lock.until.toISOString() : null,
      since: lock.state === 'locked' ? lock.since.toISOString() : null,
    },
    preferredMethod: m.preferredMethod ?? null,
    onboardingStep: m.onboardingStep ?? null,
    provisionalExpiresAt: iso(m.provisionalExpiresAt),
    passwordCreatedAt: iso(cred?.createdAt),
    issuedAt: m.issuedAt.toISOString(),
    firstLoginAt: iso(m.firstLoginAt),
    lastLoginAt: iso(m.lastLoginAt),
    acceptedTermsVersion: await acceptedVersion(em, m.id),
    devices: await listDevices(em, m.id),
  };
}

export async function showMember(core: CoreContext, societyId: number, userId: string): Promise<MemberDetail> {
  const em = core.db.em();
  return memberDetailOf(core, em, await findMemberByUserId(core, societyId, userId, em));
}
