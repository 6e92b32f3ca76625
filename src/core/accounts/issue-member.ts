import { Member, Society, type MemberRow } from '../db/entities/index.js';
import type { CoreContext } from '../context.js';
import type { Actor } from '../actor.js';
import { validateMemberInput, type MemberInput } from './member-input.js';
import { generateProvisionalPassword, generateProvisionalUserId } from './provisional-credentials.js';
import { insertIssuedMember, type IssuedCredentials } from './insert-issued-member.js';
import { mailProvisionalCredentials, requireMailAddress } from './mail-provisional-credentials.js';

/** The member as issued: plain data for the front ends (no entity crosses the core's API). */
export interface IssuedMember {
  id: number;
  userId: string;
  name: string;
  kana: string;
  email: string | null;
  provisionalExpiresAt: Date | null;
}

export interface IssueResult {
  member: IssuedMember;
  userId: string;
  password: string;
}

function issuedMember(m: MemberRow): IssuedMember {
  return { id: m.id, userId: m.userId, name: m.name, kana: m.kana, email: m.email ?? null, provisionalExpiresAt: m.provisionalExpiresAt ?? null };
}

/** Provisional credentials with a user ID not yet taken in the society. */
export async function newProvisionalCredentials(core: CoreContext, societyId: number): Promise<IssuedCredentials> {
  const password = generateProvisionalPassword(core.random);
  const hash = await core.hasher.hash(password);
  const em = core.db.em();
  for (;;) {
    const userId = generateProvisionalUserId(core.random);
    if ((await em.count(Member, { society: societyId, userId })) === 0) return { userId, password, hash };
  }
}

/** Issues one member with a provisional user ID and password (SCREENS.md §3). */
export async function issueMember(core: CoreContext, actor: Actor, request: { societyId: number; member: MemberInput; mail?: boolean }): Promise<IssueResult> {
  const { societyId } = request;
  const input = validateMemberInput(request.member, core.clock.now());
  if (request.mail) requireMailAddress(input.email);
  const creds = await newProvisionalCredentials(core, societyId);
  const member = await core.db.em().transactional(async (em) => {
    const society = await em.findOneOrFail(Society, { id: societyId });
    const m = await insertIssuedMember(em, core.clock, actor, societyId, input, creds, society.settings.provisionalExpiryDays);
    if (request.mail) await mailProvisionalCredentials(em, core, society, m, creds.password);
    return m;
  });
  return { member: issuedMember(member), userId: creds.userId, password: creds.password };
}
