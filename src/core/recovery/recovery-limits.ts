import type { CoreContext } from '../context.js';

/**
 * Limits on recovery requests (OWASP Forgot Password CS: rate-limit per account and per client),
 * counted in fixed windows in the database, so they hold across portal processes sharing it.
 */
export const RECOVERY_WINDOW_MS = 15 * 60 * 1000;
export const MAILS_PER_ACCOUNT = 3;
export const REQUESTS_PER_CLIENT = 10;

export function clientSubject(action: string, ip: string): string {
  return `c:${action}:${ip}`;
}

export function accountSubject(action: string, memberId: number): string {
  return `m:${action}:${memberId}`;
}

/**
 * Takes one of `limit` places of the current window for `subject`: one atomic conditional upsert
 * (the count moves only while below the limit), so a burst of requests, on however many
 * processes, gets exactly `limit` places. Returns false when the window is full.
 */
export async function takeRecoverySlot(core: CoreContext, societyId: number, subject: string, limit: number): Promise<boolean> {
  const store = core.db.store;
  const now = core.clock.now().getTime();
  const windowStart = new Date(now - (now % RECOVERY_WINDOW_MS));
  const rows = await store.all(
    `INSERT INTO rate_limit (society_id, subject, window_start, hits) VALUES (:society, :subject, ${store.sql.ts(':window')}, 1)
     ON CONFLICT (society_id, subject, window_start) DO UPDATE SET hits = rate_limit.hits + 1
     WHERE rate_limit.hits < :limit
     RETURNING hits`,
    { society: societyId, subject: subject.slice(0, 120), window: windowStart, limit },
  );
  return rows.length === 1;
}

/** Windows that ended are of no use: the portal's housekeeping removes them. */
export async function purgeRateWindows(core: CoreContext): Promise<number> {
  const store = core.db.store;
  const before = new Date(core.clock.now().getTime() - RECOVERY_WINDOW_MS);
  return store.run(`DELETE FROM rate_limit WHERE window_start < ${store.sql.ts(':before')}`, { before });
}
