import { defineEntity, p } from '@mikro-orm/core';
import { Society } from './society.entity.js';

export type ActorType = 'member' | 'staff' | 'system';
export type Outcome = 'success' | 'failure';

/**
 * One security-relevant act (ASVS 16.x): UTC time, actor, member, address, outcome. `details`
 * never holds a secret. `memberId` is a plain column so the trail outlives a member row.
 */
export const AuditEvent = defineEntity({
  name: 'AuditEvent',
  tableName: 'audit_event',
  properties: {
    id: p.integer().primary(),
    society: () => p.manyToOne(Society).index(),
    at: p.datetime(),
    actorType: p.string().length(16).$type<ActorType>(),
    actor: p.string().length(100),
    memberId: p.integer().nullable().index(),
    memberUserId: p.string().length(64).nullable(),
    action: p.string().length(64).index(),
    outcome: p.string().length(16).$type<Outcome>(),
    ip: p.string().length(64).nullable(),
    details: p.json<Record<string, unknown>>().nullable(),
  },
  indexes: [{ properties: ['society', 'at'] }],
});
export type AuditEventRow = InstanceType<typeof AuditEvent.class>;
