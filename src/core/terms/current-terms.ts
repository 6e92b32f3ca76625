import type { EntityManager } from '@mikro-orm/sql';
import { TermsAcceptance, TermsVersion, type TermsVersionRow } from '../db/entities/index.js';

export async function currentTerms(em: EntityManager, societyId: number): Promise<TermsVersionRow | null> {
  return em.findOne(TermsVersion, { society: societyId }, { orderBy: { version: 'desc' } });
}

/** The newest version the member accepted, or null. */
export async function acceptedVersion(em: EntityManager, memberId: number): Promise<number | null> {
  const a = await em.findOne(TermsAcceptance, { member: memberId }, { orderBy: { version: 'desc' } });
  return a?.version ?? null;
}

/** True when a current version exists that the member has not accepted. */
export async function termsPending(em: EntityManager, societyId: number, memberId: number): Promise<TermsVersionRow | null> {
  const current = await currentTerms(em, societyId);
  if (!current) return null;
  const accepted = await em.count(TermsAcceptance, { member: memberId, termsVersion: current.id });
  return accepted > 0 ? null : current;
}
