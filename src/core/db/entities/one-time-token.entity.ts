import { defineEntity, p } from '@mikro-orm/core';
import { Society } from './society.entity.js';
import { Member } from './member.entity.js';

export type TokenPurpose = 'password_reset';

/** An emailed single-use token: only its SHA-256 is stored; a newer request supersedes older ones. */
export const OneTimeToken = defineEntity({
  name: 'OneTimeToken',
  tableName: 'one_time_token',
  properties: {
    id: p.integer().primary(),
    society: () => p.manyToOne(Society).index(),
    member: () => p.manyToOne(Member).index(),
    purpose: p.string().length(32).$type<TokenPurpose>(),
    tokenHash: p.string().length(64).unique(),
    createdAt: p.datetime(),
    expiresAt: p.datetime(),
    usedAt: p.datetime().nullable(),
    supersededAt: p.datetime().nullable(),
  },
});
export type OneTimeTokenRow = InstanceType<typeof OneTimeToken.class>;
