import { randomBytes } from 'node:crypto';
import type { CoreContext } from '../context.js';

/**
 * The member's `sub` (OIDC Core §2: "locally unique and never reassigned identifier"): an opaque
 * random value made on first need and kept for good — not the user ID (the member may change it,
 * §2.7) and not the database id (it would disclose counts and order). One atomic insert-if-absent,
 * so two instances signing the member in at once agree on one value.
 */
export async function oidcSubjectFor(core: CoreContext, societyId: number, memberId: number): Promise<string> {
  const store = core.db.store;
  const existing = await store.all<{ sub: string }>(`SELECT sub FROM oidc_subject WHERE member_id = :member AND society_id = :society`, { member: memberId, society: societyId });
  if (existing[0]) return existing[0].sub;
  await store.run(`INSERT INTO oidc_subject (society_id, member_id, sub) VALUES (:society, :member, :sub) ON CONFLICT (member_id) DO NOTHING`, {
    society: societyId,
    member: memberId,
    sub: randomBytes(16).toString('base64url'),
  });
  const rows = await store.all<{ sub: string }>(`SELECT sub FROM oidc_subject WHERE member_id = :member AND society_id = :society`, { member: memberId, society: societyId });
  return rows[0]!.sub;
}

export interface OidcAccountClaims {
  sub: string;
  name: string;
  email: string | null;
  emailVerified: boolean;
}

/**
 * What a relying party may learn about the member behind `sub` (docs/sso.md, privacy): the name
 * and email address only — nothing from the insurance card. `email_verified` is false: KOSMO
 * never proves that the member controls the mailbox (the address is typed, not confirmed by a
 * link). An active member only; anyone else (disabled, still provisional, removed): null.
 */
export async function oidcAccount(core: CoreContext, societyId: number, sub: string): Promise<OidcAccountClaims | null> {
  const rows = await core.db.store.all(
    `SELECT m.name, m.email, m.status FROM oidc_subject s JOIN member m ON m.id = s.member_id WHERE s.society_id = :society AND s.sub = :sub AND m.society_id = :society`,
    { society: societyId, sub },
  );
  const r = rows[0];
  if (!r || r.status !== 'active') return null;
  return { sub, name: String(r.name), email: (r.email as string | null) ?? null, emailVerified: false };
}
