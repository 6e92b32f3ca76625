import type { EntityManager } from '@mikro-orm/sql';
import { Member, type MemberRow } from '../db/entities/index.js';
import { KosmoValidationError } from '../errors.js';
import { validateEmail } from './email.js';

/** Validates an address (manual 2-1 ⑨, errors 1–4) and checks no other account in the society uses it. */
export async function assignEmail(em: EntityManager, member: MemberRow, input: unknown): Promise<string> {
  const email = validateEmail(input);
  const taken = await em.count(Member, { society: member.society.id, email, id: { $ne: member.id } });
  if (taken) throw new KosmoValidationError(['EMAIL_TAKEN']);
  member.email = email;
  return email;
}
