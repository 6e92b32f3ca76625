import type { MemberRow } from '../db/entities/index.js';
import type { StoreQueries } from '../db/store/store.js';
import { asDate } from '../db/store/store.js';

const MEMBER_COLUMNS =
  'id, society_id, user_id, name, kana, birth_date, card_symbol, card_number, card_branch, card_key, relationship, email, status, preferred_method, onboarding_step, provisional_expires_at, issued_at, first_login_at, last_login_at, created_at, updated_at';

/**
 * A member by id within one society, through one prepared statement of the core's store: the
 * read every authenticated portal request makes (DESIGN.md §6). A plain object in the shape of the
 * Member entity (`society` as `{ id }`), not managed by any EntityManager: read it, and change the
 * member only through the core's use cases. On SQLite never call it inside an `em.transactional`
 * callback (pass the store transaction's `tx` instead of `core.db.store` inside a store transaction).
 */
export async function memberById(store: StoreQueries, societyId: number, memberId: number): Promise<MemberRow | null> {
  const rows = await store.all(`SELECT ${MEMBER_COLUMNS} FROM member WHERE id = :id AND society_id = :society`, { id: memberId, society: societyId });
  const r = rows[0];
  if (!r) return null;
  const member = {
    id: Number(r.id),
    society: { id: Number(r.society_id) },
    userId: r.user_id,
    name: r.name,
    kana: r.kana,
    birthDate: r.birth_date,
    cardSymbol: r.card_symbol ?? null,
    cardNumber: r.card_number ?? null,
    cardBranch: r.card_branch ?? null,
    cardKey: r.card_key ?? null,
    relationship: r.relationship,
    email: r.email ?? null,
    status: r.status,
    preferredMethod: r.preferred_method ?? null,
    onboardingStep: r.onboarding_step ?? null,
    provisionalExpiresAt: asDate(r.provisional_expires_at),
    issuedAt: asDate(r.issued_at)!,
    firstLoginAt: asDate(r.first_login_at),
    lastLoginAt: asDate(r.last_login_at),
    createdAt: asDate(r.created_at)!,
    updatedAt: asDate(r.updated_at)!,
  };
  return member as unknown as MemberRow;
}
