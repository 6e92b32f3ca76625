import type { EntityManager } from '@mikro-orm/sql';
import { Member, PasswordCredential, type MemberRow } from '../db/entities/index.js';
import type { Actor } from '../actor.js';
import type { Clock } from '../clock.js';
import { KosmoError } from '../errors.js';
import { recordAudit } from '../audit/record-audit.js';
import { cardKey, type ValidMemberInput } from './member-input.js';

export interface IssuedCredentials {
  userId: string;
  /** Plain text only on its way to the staff member or the notice; never stored. */
  password: string;
  hash: string;
}

/**
 * Writes one issued member (provisional status, provisional password hash, audit event) into the
 * caller's unit of work. Hashing happens before, off this path, so bulk issuance can batch writes.
 */
export async function insertIssuedMember(
  em: EntityManager,
  clock: Clock,
  actor: Actor,
  societyId: number,
  input: ValidMemberInput,
  creds: IssuedCredentials,
  provisionalExpiryDays: number,
): Promise<MemberRow> {
  const key = cardKey(input);
  if (key && (await em.count(Member, { society: societyId, cardKey: key })) > 0) throw new KosmoError('MEMBER_EXISTS', { card: key });
  const now = clock.now();
  const member = em.create(Member, {
    society: societyId,
    userId: creds.userId,
    ...input,
    cardKey: key,
    status: 'provisional',
    preferredMethod: null,
    onboardingStep: 'birth_date',
    provisionalExpiresAt: new Date(now.getTime() + provisionalExpiryDays * 86_400_000),
    issuedAt: now,
    firstLoginAt: null,
    lastLoginAt: null,
    createdAt: now,
    updatedAt: now,
  });
  em.create(PasswordCredential, { member, hash: creds.hash, provisional: true, createdAt: now });
  await em.flush();
  recordAudit(em, clock, { societyId, actor, action: 'member.issue', member: { id: member.id, userId: member.userId } });
  return member;
}
