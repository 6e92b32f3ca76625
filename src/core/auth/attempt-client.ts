import type { CoreContext } from '../context.js';
import { sha256Hex } from '../random.js';
import { deviceHash, deviceTokenOf } from '../devices/device-token.js';
import type { LoginClient } from '../devices/login-client.js';
import type { LockoutPolicy } from './throttle-store.js';
import type { StoreQueries } from '../db/store/store.js';

/**
 * Smart lockout (issue 13; docs/member-security.md): the client an attempt comes from, as a second
 * counter beside the account's. A browser that once completed a login for this member (its device
 * cookie is a known device) is counted by its device; any other client by its address — an
 * unknown or made-up device cookie buys nothing, so rotating cookies does not buy fresh budgets.
 */
export interface AttemptClient {
  /** `c:<member id>:<sha256>` (`c:u:<sha256>` for a user ID naming no member): only hashes stored. */
  subject: string;
  /** A known device: not held back by the account's back-off (failures of other clients). */
  known: boolean;
}

/**
 * The client subject of an attempt at a member's account (or, for a user ID that names no member,
 * `unknownKey`, its hash: the same statements run, so timing tells nothing). Null when the
 * front end knows neither a device nor an address (core calls without a client).
 */
export async function attemptClientFor(core: CoreContext, member: { id: number } | null, unknownKey: string, client: LoginClient | null | undefined): Promise<AttemptClient | null> {
  if (!client) return null;
  const token = deviceTokenOf(client.device);
  // One lookup for known and unknown IDs alike (member id 0 names nobody).
  const rows = await core.db.store.all(`SELECT 1 AS one FROM known_device WHERE member_id = :member AND device_hash = :hash`, {
    member: member?.id ?? 0,
    hash: token ? deviceHash(token) : '-',
  });
  const known = member !== null && token !== null && rows.length > 0;
  const key = known ? `d:${deviceHash(token!)}` : client.ip ? `a:${client.ip}` : null;
  if (!key) return null;
  return { subject: member ? `c:${member.id}:${sha256Hex(key)}` : `c:u:${sha256Hex(`${unknownKey}:${key}`)}`, known };
}

/** The numbers of a client's own counter: the account's back-off curve, from its own thresholds. */
export function clientPolicy(policy: LockoutPolicy): LockoutPolicy {
  return { ...policy, backoffFrom: policy.clientBackoffFrom, lockAt: policy.clientLockAt };
}

/** How long a member's client counter that is not blocked is kept after its last failure. */
export const CLIENT_SUBJECT_TTL_MS = 30 * 24 * 60 * 60 * 1000;

/**
 * Housekeeping (smart lockout): a member's client counters (`c:<id>:…`) untouched for 30 days go,
 * unless they block their client (those stay until staff unlock), so addresses an attacker tried
 * do not pile up without end. Counters of unknown IDs' clients go with those IDs' own
 * (purgeUnknownSubjects).
 */
export async function purgeIdleClientSubjects(store: StoreQueries, now: Date): Promise<number> {
  return store.run(`DELETE FROM login_throttle WHERE subject LIKE 'c:%' AND subject NOT LIKE 'c:u:%' AND locked_at IS NULL AND last_failure_at < ${store.sql.ts(':before')}`, {
    before: new Date(now.getTime() - CLIENT_SUBJECT_TTL_MS),
  });
}
