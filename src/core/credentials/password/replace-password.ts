import type { EntityManager } from '@mikro-orm/sql';
import { PasswordCredential, Society, type MemberRow } from '../../db/entities/index.js';
import type { CoreContext } from '../../context.js';
import { KosmoError } from '../../errors.js';
import { checkPasswordPolicy } from './password-policy.js';

/**
 * Checks a new password against the society policy and the current one (manual 3-2: the current
 * password cannot be reused) and stores its argon2id hash with a new creation date.
 */
export async function replacePassword(core: CoreContext, em: EntityManager, member: MemberRow, password: unknown, confirm: unknown): Promise<void> {
  const society = await em.findOneOrFail(Society, { id: member.society.id });
  const pw = checkPasswordPolicy(society.settings.password, password, { userId: member.userId, society, confirm: typeof confirm === 'string' ? confirm : '' });
  const cred = await em.findOne(PasswordCredential, { member: member.id });
  if (cred && (await core.hasher.verify(cred.hash, pw))) throw new KosmoError('PASSWORD_UNCHANGED');
  const hash = await core.hasher.hash(pw);
  const now = core.clock.now();
  if (cred) {
    cred.hash = hash;
    cred.provisional = false;
    cred.createdAt = now;
  } else {
    em.create(PasswordCredential, { member, hash, provisional: false, createdAt: now });
  }
}
