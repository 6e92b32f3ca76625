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
  const expires = member.provisionalExpiresAt ?? core.clock.now();
  await enqueueMail(em, core, {
    societyId: society.id,
    memberId: member.id,
    to: requireMailAddress(member.email),
    template: 'provisional-credentials',
    vars: {
      memberName: member.name,
      userId: member.userId,
      password,
      portalUrl: resolvePortalUrl(society, { fallback: 'default' })!,
      expiresOn: longDateJapan(expires),
    },
  });
}
