import { raw, type FilterQuery } from '@mikro-orm/core';
import { Member, type MemberRow } from '../db/entities/index.js';
import type { CoreContext } from '../context.js';
import { foldInput } from '../util/normalize.js';
import { parseBirthDate } from './birth-date.js';

function likeEscape(s: string): string {
  return s.replace(/[\\%_]/g, (c) => `\\${c}`);
}

/** `column LIKE pattern ESCAPE '\'`: SQLite has no default escape character, so name it. */
function like(column: string, pattern: string): FilterQuery<MemberRow> {
  return { [raw((alias: string) => `${alias}.${column} like ? escape '\\'`, [pattern])]: [] } as FilterQuery<MemberRow>;
}

/**
 * Finds members by user ID, name, kana, card number, email or birth date. Runs in the database
 * with a limit (the TUI searches as staff type, over 100 000 members): prefix matches use the
 * indexes; name and kana also match inside.
 */
/** One search hit, as plain data. */
export interface MemberSummary {
  userId: string;
  name: string;
  kana: string;
  birthDate: string;
  status: MemberRow['status'];
  cardNumber: string | null;
  email: string | null;
}

export async function searchMembers(core: CoreContext, societyId: number, text: string, limit = 50): Promise<MemberSummary[]> {
  const q = foldInput(text).replace(/\s+/g, ' ');
  if (q === '') return [];
  const lower = q.toLowerCase();
  const or: FilterQuery<MemberRow>[] = [
    like('user_id', `${likeEscape(lower)}%`),
    like('email', `${likeEscape(lower)}%`),
    like('card_number', `${likeEscape(q)}%`),
    like('name', `%${likeEscape(q)}%`),
    like('kana', `%${likeEscape(q)}%`),
  ];
  try {
    or.push({ birthDate: parseBirthDate(q) });
  } catch {
    // not a date: fine
  }
  const rows = await core.db.em().find(Member, { society: societyId, $or: or }, { orderBy: { kana: 'asc', id: 'asc' }, limit: Math.max(1, Math.min(limit, 500)) });
  return rows.map((m) => ({ userId: m.userId, name: m.name, kana: m.kana, birthDate: m.birthDate, status: m.status, cardNumber: m.cardNumber ?? null, email: m.email ?? null }));
}
