import { defineEntity, p } from '@mikro-orm/core';
import { Society } from './society.entity.js';

/**
 * Requests counted per subject (a client address, an account) in fixed windows, for the recovery
 * limits (OWASP Forgot Password CS). Changed only by one atomic conditional upsert
 * (src/core/recovery/recovery-limits.ts), so the limit holds across processes and in a burst.
 */
export const RateLimit = defineEntity({
  name: 'RateLimit',
  tableName: 'rate_limit',
  properties: {
    id: p.integer().primary(),
    society: () => p.manyToOne(Society).index(),
    subject: p.string().length(120),
    windowStart: p.datetime(),
    hits: p.integer(),
  },
  uniques: [{ properties: ['society', 'subject', 'windowStart'] }],
});
export type RateLimitRow = InstanceType<typeof RateLimit.class>;
