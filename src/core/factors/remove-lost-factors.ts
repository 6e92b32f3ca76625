import type { EntityManager } from '@mikro-orm/sql';
import { Passkey, TotpDevice, type MemberRow } from '../db/entities/index.js';
import type { CoreContext } from '../context.js';
import { recordAudit } from '../audit/record-audit.js';
import { memberActor } from '../auth/member-actor.js';
import { afterFactorChange } from './factor-hooks.js';

/**
 * The "lost device" path (DESIGN.md §4 reset vs MFA, FAQ Q14): after the birth-date check, the new
 * factor replaces every old factor of the same kind, in the same transaction; audited and notified.
 */
export async function removeLostFactors(em: EntityManager, core: CoreContext, member: MemberRow, kind: 'otp' | 'passkey', ip: string | null): Promise<void> {
  const rows = kind === 'otp' ? await em.find(TotpDevice, { member: member.id }) : await em.find(Passkey, { member: member.id });
  if (rows.length === 0) return;
  const names = rows.map((r) => ('name' in r ? r.name : r.label));
  for (const r of rows) em.remove(r);
  await em.flush();
  recordAudit(em, core.clock, { societyId: member.society.id, actor: memberActor(member, ip), action: 'factor.replace_lost', member, details: { kind, removed: names } });
  await afterFactorChange(em, core, member, 'removed', names.join(', '));
}
