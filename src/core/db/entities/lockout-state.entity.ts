import { defineEntity, p } from '@mikro-orm/core';
import { Member } from './member.entity.js';

/** Failed-attempt counter per account: password, birth-date and second-factor failures all count. */
export const LockoutState = defineEntity({
  name: 'LockoutState',
  tableName: 'lockout_state',
  properties: {
    id: p.integer().primary(),
    member: () => p.oneToOne(Member).owner().unique(),
    failures: p.integer(),
    lastFailureAt: p.datetime().nullable(),
    blockedUntil: p.datetime().nullable(),
    lockedAt: p.datetime().nullable(),
  },
});
export type LockoutStateRow = InstanceType<typeof LockoutState.class>;
