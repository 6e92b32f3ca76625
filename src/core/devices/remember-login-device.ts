import type { CoreContext } from '../context.js';
import { Member, Society } from '../db/entities/index.js';
import { notifyMember } from '../mail/notify-member.js';
import { deviceHash, deviceTokenOf, newDeviceToken } from './device-token.js';
import { describeUserAgent } from './describe-user-agent.js';
import { attemptClientFor } from '../auth/attempt-client.js';
import { clearUnlessLocked } from '../auth/throttle-store.js';

import type { LoginClient } from './login-client.js';

export type { LoginClient };

export interface RememberedDevice {
  /** A new device cookie value for the front end to set (the browser had none), else null. */
  token: string | null;
  /** This browser had never completed a login for the member before. */
  isNew: boolean;
}

/**
 * A login completed (issue 13): the browser becomes a known device of the member. The decision
 * "new browser" is one atomic statement (`INSERT … ON CONFLICT DO NOTHING RETURNING`), so two
 * logins completing at once in the same browser send one notice, not two. A new browser mails the
 * new-device notice (ASVS 6.3.7 / NIST SP 800-63B §4.1: notify the subscriber of events on their
 * account) unless the society turned it off — but not for the member's very first device, where a
 * notice would only say "you logged in".
 */
export async function rememberLoginDevice(core: CoreContext, societyId: number, memberId: number, client: LoginClient): Promise<RememberedDevice> {
  // The counter this client's attempts used (smart lockout) starts again, like the account's.
  const counter = await attemptClientFor(core, { id: memberId }, '', client);
  if (counter) await core.db.store.transaction((tx) => clearUnlessLocked(tx, societyId, counter.subject));
  const store = core.db.store;
  // A value no login ever completed with (made up, or planted by someone else) is not adopted:
  // the browser gets a fresh one. A value known for another member is kept (one value per browser,
  // e.g. a family's shared PC).
  const offered = deviceTokenOf(client.device);
  const seen = offered ? (await store.all(`SELECT 1 AS one FROM known_device WHERE device_hash = :hash LIMIT 1`, { hash: deviceHash(offered) })).length > 0 : false;
  const sent = seen ? offered : null;
  const token = sent ?? newDeviceToken(core.random);
  const now = core.clock.now();
  const userAgent = client.userAgent?.slice(0, 255) ?? null;
  const hadDevice = (await store.all(`SELECT 1 AS one FROM known_device WHERE member_id = :member LIMIT 1`, { member: memberId })).length > 0;
  const inserted = await store.all(
    `INSERT INTO known_device (society_id, member_id, device_hash, user_agent, first_seen_at, last_seen_at)
     VALUES (:society, :member, :hash, :userAgent, ${store.sql.ts(':now')}, ${store.sql.ts(':now')})
     ON CONFLICT (member_id, device_hash) DO NOTHING
     RETURNING id`,
    { society: societyId, member: memberId, hash: deviceHash(token), userAgent, now },
  );
  const isNew = inserted.length === 1;
  if (!isNew) {
    await store.run(`UPDATE known_device SET last_seen_at = ${store.sql.ts(':now')}, user_agent = :userAgent WHERE member_id = :member AND device_hash = :hash`, {
      now,
      userAgent,
      member: memberId,
      hash: deviceHash(token),
    });
  }
  if (isNew && hadDevice) await mailNewDeviceNotice(core, societyId, memberId, client);
  return { token: sent ? null : token, isNew };
}

async function mailNewDeviceNotice(core: CoreContext, societyId: number, memberId: number, client: LoginClient): Promise<void> {
  await core.db.em().transactional(async (em) => {
    const society = await em.findOneOrFail(Society, { id: societyId });
    if (society.settings.newDeviceNotice === false) return;
    const member = await em.findOneOrFail(Member, { id: memberId, society: societyId });
    const ua = describeUserAgent(client.userAgent);
    await notifyMember(em, core, member, 'new-device', { browser: `${ua.browser}(${ua.os})`, ip: client.ip ?? '不明' });
  });
}

/** Whether this browser has completed a login for the member before (smart lockout). */
export async function isKnownDevice(core: CoreContext, memberId: number, device: unknown): Promise<boolean> {
  const token = deviceTokenOf(device);
  if (!token) return false;
  const rows = await core.db.store.all(`SELECT 1 AS one FROM known_device WHERE member_id = :member AND device_hash = :hash`, { member: memberId, hash: deviceHash(token) });
  return rows.length > 0;
}
