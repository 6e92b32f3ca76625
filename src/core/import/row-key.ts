import { cardKey, type ValidMemberInput } from '../accounts/member-input.js';

/**
 * What makes two rows the same member, so a member is never issued twice: the insurance card
 * (symbol|number|branch, the `cardKey` the database keeps unique per society); for a row without
 * card details, the name, kana and birth date together (matched against members who have no card).
 */
export function rowKey(input: ValidMemberInput): string {
  return cardKey(input) ?? `person:${input.name}|${input.kana}|${input.birthDate}`;
}

export function isCardKey(key: string): boolean {
  return !key.startsWith('person:');
}
