import { KosmoError } from '../errors.js';
import { foldInput, hasControlChars } from '../util/normalize.js';
import { parseBirthDate } from './birth-date.js';
import { validateEmail } from './email.js';
import type { Relationship } from '../db/entities/index.js';

/** What staff give to issue a member (one from flags, or one CSV row). */
export interface MemberInput {
  name: unknown;
  kana: unknown;
  birthDate: unknown;
  email?: unknown;
  cardSymbol?: unknown;
  cardNumber?: unknown;
  cardBranch?: unknown;
  relationship?: unknown;
}

export interface ValidMemberInput {
  name: string;
  kana: string;
  birthDate: string;
  email: string | null;
  cardSymbol: string | null;
  cardNumber: string | null;
  cardBranch: string | null;
  relationship: Relationship;
}

function text(field: string, v: unknown, max: number, required: boolean): string | null {
  const s = foldInput(v).replace(/\s+/g, ' ');
  if (s === '') {
    if (required) throw new KosmoError('INPUT_INVALID', { field, reason: 'REQUIRED' });
    return null;
  }
  if (hasControlChars(s) || [...s].length > max) throw new KosmoError('INPUT_INVALID', { field, reason: 'MAX_CHARS', max });
  return s;
}

function cardPart(field: string, v: unknown, max: number): string | null {
  const s = text(field, v, max, false);
  if (s !== null && !/^[0-9A-Za-z-]+$/.test(s)) throw new KosmoError('INPUT_INVALID', { field, reason: 'CARD_CHARS' });
  return s;
}

/** Half-width kana folds to full-width (NFKC); katakana, hiragana, prolonged mark and spaces only. */
function kana(v: unknown): string {
  const s = text('kana', v, 100, true)!;
  if (!/^[\u3041-\u3096\u30a1-\u30fa\u30fc\u30fb ー・]+$/.test(s)) throw new KosmoError('INPUT_INVALID', { field: 'kana', reason: 'KANA_ONLY' });
  return s;
}

/** The insurance card identity used to never issue the same member twice. */
export function cardKey(m: Pick<ValidMemberInput, 'cardSymbol' | 'cardNumber' | 'cardBranch'>): string | null {
  if (!m.cardSymbol && !m.cardNumber) return null;
  return [m.cardSymbol ?? '', m.cardNumber ?? '', m.cardBranch ?? ''].join('|');
}

export function validateMemberInput(input: MemberInput, today: Date): ValidMemberInput {
  const relationshipRaw = foldInput(input.relationship ?? 'self').toLowerCase();
  const relationship = ({ self: 'self', family: 'family', 本人: 'self', 家族: 'family' } as const)[relationshipRaw];
  if (!relationship) throw new KosmoError('INPUT_INVALID', { field: 'relationship', reason: 'RELATIONSHIP' });
  let birthDate: string;
  try {
    birthDate = parseBirthDate(input.birthDate, today);
  } catch {
    throw new KosmoError('INPUT_INVALID', { field: 'birth-date', reason: 'REAL_DATE' });
  }
  let email: string | null = null;
  if (foldInput(input.email ?? '') !== '') {
    try {
      email = validateEmail(input.email);
    } catch {
      throw new KosmoError('INPUT_INVALID', { field: 'email', reason: 'EMAIL_FORMAT' });
    }
  }
  return {
    name: text('name', input.name, 100, true)!,
    kana: kana(input.kana),
    birthDate,
    email,
    cardSymbol: cardPart('card-symbol', input.cardSymbol, 32),
    cardNumber: cardPart('card-number', input.cardNumber, 32),
    cardBranch: cardPart('card-branch', input.cardBranch, 8),
    relationship,
  };
}
