import { Passkey, Session, TotpDevice } from '../db/entities/index.js';
import type { CoreContext } from '../context.js';
import type { Actor } from '../actor.js';
import { KosmoError } from '../errors.js';
import { recordAudit } from '../audit/record-audit.js';
import { findMemberByUserId } from '../accounts/find-member.js';
import { notifyMember } from '../mail/notify-member.js';
import { selectDevices, type DeviceSelector } from './select-devices.js';

export type { DeviceSelector } from './select-devices.js';

export interface RemovedDevices {
  userId: string;
  removed: { kind: 'otp' | 'passkey'; name: string }[];
  /** Portal sessions of the member that ended with the removal. */
  sessionsEnded: number;
  /** A 'devices-removed-by-staff' notice was queued (the member has an address). */
  notified: boolean;
  /** Second factors the member still has. */
  remaining: number;
}

/**
 * Staff remove a member's lost devices (FAQ Q14; SCREENS.md §3): one OTP device or passkey by
 * name, or all of them. In one transaction the devices go, every portal session of the member
 * ends, the removal is audited and a notice is queued to the member's address. A member left with
 * no second factor proves the birth date and sets a new one up at the next login
 * (auth/login-step.ts). Removing nothing (no devices) changes nothing and is not audited.
 */
export async function removeDevices(core: CoreContext, actor: Actor, input: { societyId: number; userId: string; devices: DeviceSelector }): Promise<RemovedDevices> {
  const { societyId, userId, devices: selector } = input;
  return core.db.em().transactional(async (em) => {
    const member = await findMemberByUserId(core, societyId, userId, em);
    const otp = await em.find(TotpDevice, { member: member.id }, { orderBy: { id: 'asc' } });
    const passkeys = await em.find(Passkey, { member: member.id }, { orderBy: { id: 'asc' } });
    const chosen = selectDevices(otp, passkeys, selector);
    if (chosen.otp.length + chosen.passkeys.length === 0) {
      if ('name' in selector) throw new KosmoError('INPUT_INVALID', { field: 'device', reason: 'DEVICE_UNKNOWN', name: selector.name });
      return { userId: member.userId, removed: [], sessionsEnded: 0, notified: false, remaining: 0 };
    }
    const removed = [...chosen.otp.map((d) => ({ kind: 'otp' as const, name: d.name })), ...chosen.passkeys.map((p) => ({ kind: 'passkey' as const, name: p.label }))];
    if (chosen.otp.length) await em.nativeDelete(TotpDevice, { id: { $in: chosen.otp.map((d) => d.id) }, member: member.id });
    if (chosen.passkeys.length) await em.nativeDelete(Passkey, { id: { $in: chosen.passkeys.map((p) => p.id) }, member: member.id });
    const sessionsEnded = await em.nativeDelete(Session, { society: societyId, member: member.id });
    member.updatedAt = core.clock.now();
    recordAudit(em, core.clock, { societyId, actor, action: 'member.devices.remove', member, details: { removed, sessionsEnded, all: 'all' in selector } });
    const notified = Boolean(member.email);
    await notifyMember(em, core, member, 'devices-removed-by-staff', {});
    return { userId: member.userId, removed, sessionsEnded, notified, remaining: otp.length + passkeys.length - removed.length };
  });
}
