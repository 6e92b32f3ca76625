import { defineEntity, p } from '@mikro-orm/core';
import { Society } from './society.entity.js';
import { Member } from './member.entity.js';

/** A published version of the terms of use (利用規約); versions count up per society. */
export const TermsVersion = defineEntity({
  name: 'TermsVersion',
  tableName: 'terms_version',
  properties: {
    id: p.integer().primary(),
    society: () => p.manyToOne(Society).index(),
    version: p.integer(),
    title: p.string().length(200),
    body: p.text(),
    publishedAt: p.datetime(),
    publishedBy: p.string().length(100),
  },
  uniques: [{ properties: ['society', 'version'] }],
});
export type TermsVersionRow = InstanceType<typeof TermsVersion.class>;

/** A member's acceptance of one terms version (同意する), with time and address. */
export const TermsAcceptance = defineEntity({
  name: 'TermsAcceptance',
  tableName: 'terms_acceptance',
  properties: {
    id: p.integer().primary(),
    member: () => p.manyToOne(Member).index(),
    termsVersion: () => p.manyToOne(TermsVersion),
    version: p.integer(),
    acceptedAt: p.datetime(),
    ip: p.string().length(64).nullable(),
  },
  uniques: [{ properties: ['member', 'termsVersion'] }],
});
export type TermsAcceptanceRow = InstanceType<typeof TermsAcceptance.class>;
