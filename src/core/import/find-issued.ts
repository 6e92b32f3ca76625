import type { EntityManager } from '@mikro-orm/sql';
import { Member, type MemberRow } from '../db/entities/index.js';
import type { ParsedRow } from './parse-member-csv.js';
import { isCardKey, rowKey } from './row-key.js';

const CHUNK = 200;

/** Members of the society already issued for these rows, by row key (card, else name+kana+birth date). */
export async function findIssued(em: EntityManager, societyId: number, rows: ParsedRow[]): Promise<Map<string, MemberRow>> {
  const found = new Map<string, MemberRow>();
  const cards = rows.filter((r) => isCardKey(r.key)).map((r) => r.key);
  for (let i = 0; i < cards.length; i += CHUNK) {
    const ms = await em.find(Member, { society: societyId, cardKey: { $in: cards.slice(i, i + CHUNK) } });
    for (const m of ms) found.set(m.cardKey!, m);
  }
  const people = rows.filter((r) => !isCardKey(r.key));
  for (let i = 0; i < people.length; i += CHUNK) {
    const chunk = people.slice(i, i + CHUNK);
    const ms = await em.find(Member, {
      society: societyId,
      cardKey: null,
      $or: chunk.map((r) => ({ name: r.input.name, kana: r.input.kana, birthDate: r.input.birthDate })),
    });
    for (const m of ms) found.set(rowKey(m as Parameters<typeof rowKey>[0]), m);
  }
  return found;
}
