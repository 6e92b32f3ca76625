import type { EntityManager } from '@mikro-orm/sql';
import type { MemberRow } from '../db/entities/index.js';
import type { CoreContext } from '../context.js';
import { enqueueMail } from './enqueue-mail.js';
import type { MailTemplateName, MailTemplateVars } from './templates.js';

/**
 * A security notice to the member's registered address, queued in the caller's transaction
 * (ASVS 6.3.7: notify users of changes to their authentication). Members without an address get
 * none; nothing else changes.
 */
export async function notifyMember<T extends MailTemplateName>(
  em: EntityManager,
  core: CoreContext,
  member: MemberRow,
  template: T,
  vars: Omit<MailTemplateVars[T], 'memberName'>,
  to: string | null = member.email ?? null,
): Promise<void> {
  if (!to) return;
  await enqueueMail(em, core, {
    societyId: member.society.id,
    memberId: member.id,
    to,
    template,
    vars: { memberName: member.name, ...vars } as MailTemplateVars[T],
  });
}
