import { defineEntity, p } from '@mikro-orm/core';
import { Society } from './society.entity.js';

/**
 * Failed-attempt counter per login subject: a member (`m:<id>`; password, birth-date and
 * second-factor failures all count) or a user ID that names no member (`u:<sha256>`), so that an
 * unknown ID is throttled and answered exactly like a known one (ASVS 6.3.8). Changed only by the
 * atomic conditional statements in src/core/auth/throttle-store.ts.
 */
export const LoginThrottle = defineEntity({
  name: 'LoginThrottle',
  tableName: 'login_throttle',
  properties: {
    id: p.integer().primary(),
    society: () => p.manyToOne(Society).index(),
    subject: p.string().length(80),
    failures: p.integer(),
    lastFailureAt: p.datetime().nullable(),
    blockedUntil: p.datetime().nullable(),
    lockedAt: p.datetime().nullable(),
  },
  uniques: [{ properties: ['society', 'subject'] }],
});
export type LoginThrottleRow = InstanceType<typeof LoginThrottle.class>;
