import { Member, TermsAcceptance } from '../db/entities/index.js';
import type { ActingMember } from '../actor.js';
import type { CoreContext } from '../context.js';
import { KosmoError } from '../errors.js';
import { recordAudit } from '../audit/record-audit.js';
import { memberActor } from '../auth/member-actor.js';
import { currentTerms } from './current-terms.js';

/**
 * 同意する (§2.3 step 2, §2.12): records the acceptance of the version the member was shown, with
 * time and address. If a newer version was published meanwhile, the member must read that one.
 */
export async function acceptTerms(core: CoreContext, acting: ActingMember, shownVersion: number): Promise<void> {
  const { societyId, memberId, ip } = acting;
  await core.db.em().transactional(async (em) => {
    const member = await em.findOneOrFail(Member, { id: memberId, society: societyId });
    const current = await currentTerms(em, societyId);
    if (!current) throw new KosmoError('TERMS_NOT_PUBLISHED');
    if (current.version !== shownVersion) throw new KosmoError('TERMS_OUTDATED', { current: current.version });
    const exists = await em.count(TermsAcceptance, { member: memberId, termsVersion: current.id });
    if (!exists) em.create(TermsAcceptance, { member, termsVersion: current, version: current.version, acceptedAt: core.clock.now(), ip });
    if (member.status === 'provisional' && member.onboardingStep === 'terms') member.onboardingStep = 'user_id';
    recordAudit(em, core.clock, { societyId, actor: memberActor(member, ip), action: 'terms.accept', member, details: { version: current.version } });
  });
}
