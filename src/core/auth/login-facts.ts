import type { StoreQueries } from '../db/store/store.js';
import type { MemberView } from '../accounts/member-view.js';
import type { SocietySettings } from '../society/settings.js';
import { MEMBER_VIEW_COLUMNS, memberViewFromRow } from '../accounts/member-view-by-id.js';

/** What decides a member's next login step, read in one statement (login-step.ts decides). */
export interface LoginFacts {
  member: MemberView;
  onboardingStep: string | null;
  /** The password is still the provisional one from the issue notice. */
  provisionalPassword: boolean;
  otp: number;
  passkey: number;
  /** The society's newest terms version exists and the member has not accepted it. */
  termsPending: boolean;
  /** The society's `recoveryCodes.lostDevice` setting (docs/member-security.md). */
  lostDeviceRecoveryCode: 'off' | 'accept' | 'require';
}

const LOGIN_FACTS_SQL = `SELECT ${MEMBER_VIEW_COLUMNS}, m.onboarding_step,
    (SELECT c.provisional FROM password_credential c WHERE c.member_id = m.id) AS provisional_password,
    (SELECT COUNT(*) FROM totp_device t WHERE t.member_id = m.id) AS otp,
    (SELECT COUNT(*) FROM passkey p WHERE p.member_id = m.id) AS passkey,
    EXISTS (SELECT 1 FROM terms_version tv
      WHERE tv.society_id = m.society_id AND tv.version = (SELECT MAX(v.version) FROM terms_version v WHERE v.society_id = m.society_id)
        AND NOT EXISTS (SELECT 1 FROM terms_acceptance a WHERE a.member_id = m.id AND a.terms_version_id = tv.id)) AS terms_pending,
    s.settings AS society_settings
  FROM member m JOIN society s ON s.id = m.society_id WHERE m.id = :id AND m.society_id = :society`;

/**
 * The member, their factors, the provisional password, the terms and the society's lost-device
 * setting in one prepared statement of
 * the core's store (DESIGN.md §6: the login flow's reads off the ORM; five ORM queries before).
 * Null when the member is not in this society. On SQLite never inside an `em.transactional`.
 */
export async function loginFacts(store: StoreQueries, societyId: number, memberId: number): Promise<LoginFacts | null> {
  const rows = await store.all(LOGIN_FACTS_SQL, { id: memberId, society: societyId });
  const r = rows[0];
  const member = r ? memberViewFromRow(r) : null;
  if (!r || !member) return null;
  return {
    member,
    onboardingStep: (r.onboarding_step as string | null) ?? null,
    provisionalPassword: truthy(r.provisional_password),
    otp: Number(r.otp),
    passkey: Number(r.passkey),
    termsPending: truthy(r.terms_pending),
    lostDeviceRecoveryCode: settingsOf(r.society_settings).recoveryCodes?.lostDevice ?? 'off',
  };
}

// jsonb on PostgreSQL arrives parsed, SQLite's json column as text.
const settingsOf = (v: unknown) => (typeof v === 'string' ? JSON.parse(v) : (v ?? {})) as Partial<SocietySettings>;

// SQLite answers 0/1 (or 1n), PostgreSQL a boolean.
const truthy = (v: unknown) => v === true || v === 1 || v === 1n || v === '1' || v === 't';
