import { defineEntity, p } from '@mikro-orm/core';
import { Society } from './society.entity.js';
import { Member } from './member.entity.js';
import type { SessionState } from '../../sessions/session-state.js';

/**
 * A server-side portal session. Only the SHA-256 of the 256-bit token is stored (ASVS 7.x), so a
 * database leak yields no usable cookie. `state` holds the login progress and pending challenges.
 */
export const Session = defineEntity({
  name: 'Session',
  tableName: 'session',
  properties: {
    id: p.integer().primary(),
    society: () => p.manyToOne(Society).index(),
    member: () => p.manyToOne(Member).nullable().index(),
    tokenHash: p.string().length(64).unique(),
    state: p.json<SessionState>(),
    persistent: p.boolean(),
    authenticatedAt: p.datetime().nullable(),
    createdAt: p.datetime(),
    lastSeenAt: p.datetime(),
    idleExpiresAt: p.datetime(),
    absoluteExpiresAt: p.datetime(),
    ip: p.string().length(64).nullable(),
    userAgent: p.string().length(255).nullable(),
  },
});
export type SessionRow = InstanceType<typeof Session.class>;
