import { defineEntity, p } from '@mikro-orm/core';
import { Society } from './society.entity.js';

export type MemberStatus = 'provisional' | 'active' | 'disabled';
export type SecondFactorMethod = 'passkey' | 'otp';
export type Relationship = 'self' | 'family';

/**
 * A member (被保険者・被扶養者). `userId` is stored folded to lower case; uniqueness is per society.
 * `cardKey` (symbol/number/branch joined) makes bulk issuance idempotent.
 */
export const Member = defineEntity({
  name: 'Member',
  tableName: 'member',
  properties: {
    id: p.integer().primary(),
    society: () => p.manyToOne(Society).index(),
    userId: p.string().length(64),
    name: p.string().length(200),
    kana: p.string().length(200),
    birthDate: p.string().length(10),
    cardSymbol: p.string().length(32).nullable(),
    cardNumber: p.string().length(32).nullable(),
    cardBranch: p.string().length(8).nullable(),
    cardKey: p.string().length(80).nullable(),
    relationship: p.string().length(8).$type<Relationship>(),
    email: p.string().length(255).nullable(),
    status: p.string().length(16).$type<MemberStatus>(),
    preferredMethod: p.string().length(16).$type<SecondFactorMethod>().nullable(),
    /** First-login progress for provisional members (birth date, terms, user ID, password, email, factor). */
    onboardingStep: p.string().length(32).nullable(),
    provisionalExpiresAt: p.datetime().nullable(),
    issuedAt: p.datetime(),
    firstLoginAt: p.datetime().nullable(),
    lastLoginAt: p.datetime().nullable(),
    createdAt: p.datetime(),
    updatedAt: p.datetime(),
  },
  uniques: [{ properties: ['society', 'userId'] }, { properties: ['society', 'cardKey'] }],
  indexes: [{ properties: ['society', 'email'] }, { properties: ['society', 'kana'] }, { properties: ['society', 'cardNumber'] }],
});
export type MemberRow = InstanceType<typeof Member.class>;
