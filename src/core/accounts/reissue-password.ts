import { PasswordCredential, Session, Society } from '../db/entities/index.js';
import type { CoreContext } from '../context.js';
import type { Actor } from '../actor.js';
import { recordAudit } from '../audit/record-audit.js';
import { findMemberByUserId } from './find-member.js';
import { generateProvisionalPassword } from './provisional-credentials.js';
import { mailProvisionalCredentials, requireMailAddress } from './mail-provisional-credentials.js';

/**
 * A new provisional password: the member goes through first login again (birth date, terms, own
 * user ID and password, email, second factor). Sessions end; second factors stay until staff remove
 * them. The plain password is returned once and never stored.
 */
export async function reissuePassword(core: CoreContext, actor: Actor, input: { societyId: number; userId: string; mail?: boolean }): Promise<{ userId: string; password: string; mailed: boolean }> {
  const { societyId, userId } = input;
  const password = generateProvisionalPassword(core.random);
  const hash = await core.hasher.hash(password);
  return core.db.em().transactional(async (em) => {
    const member = await findMemberByUserId(core, societyId, userId, em);
    if (input.mail) requireMailAddress(member.email);
    const society = await em.findOneOrFail(Society, { id: societyId });
    const now = core.clock.now();
    const cred = await em.findOne(PasswordCredential, { member: member.id });
    if (cred) {
      cred.hash = hash;
      cred.provisional = true;
      cred.createdAt = now;
    } else {
      em.create(PasswordCredential, { member, hash, provisional: true, createdAt: now });
    }
    if (member.status !== 'disabled') member.status = 'provisional';
    member.onboardingStep = 'birth_date';
    member.provisionalExpiresAt = new Date(now.getTime() + society.settings.provisionalExpiryDays * 86_400_000);
    member.updatedAt = now;
    await em.nativeDelete(Session, { member: member.id });
    recordAudit(em, core.clock, { societyId, actor, action: 'member.reissue', member, details: { mailed: Boolean(input.mail) } });
    if (input.mail) await mailProvisionalCredentials(em, core, society, member, password);
    return { userId: member.userId, password, mailed: Boolean(input.mail) };
  });
}
