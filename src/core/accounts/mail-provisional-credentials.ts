import { longDateJapan } from '../util/japan-time.js';
import type { EntityManager } from '@mikro-orm/sql';
import type { MemberRow, SocietyRow } from '../db/entities/index.js';
import type { CoreContext } from '../context.js';
import { KosmoError } from '../errors.js';
import { enqueueMail } from '../mail/enqueue-mail.js';
import { resolvePortalUrl } from '../society/portal-url.js';

/** Refuses `--mail` for a member without an address before anything is written. */
export function requireMailAddress(email: string | null | undefined): string {
  if (!email) throw new KosmoError('INPUT_INVALID', { field: 'mail', reason: 'NO_EMAIL' });
  return email;
}

/**
 * Queues the provisional user ID and password for the member's address in the caller's transaction
 * (the one secret this mail exists to carry; its body is cleared once sent).
 */
export async function mailProvisionalCredentials(em: EntityManager, core: CoreContext, society: SocietyRow, member: MemberRow, password: string): Promise<void> {
  await queueProvisionalCredentialsMail(em, core, member, password, resolvePortalUrl(society, { fallback: 'default' })!);
}

/**
 * The one builder of the provisional-credentials mail (single issue, re-issue, bulk import): the
 * user ID, the password, where to log in and until when, to the member's address.
 */
export async function queueProvisionalCredentialsMail(em: EntityManager, core: CoreContext, member: MemberRow, password: string, portalUrl: string): Promise<void> {
  await enqueueMail(em, core, {
    societyId: member.society.id,
    memberId: member.id,
    to: requireMailAddress(member.email),
    template: 'provisional-credentials',
    vars: { memberName: member.name, userId: member.userId, password, portalUrl, expiresOn: longDateJapan(member.provisionalExpiresAt ?? member.issuedAt) },
  });
}
