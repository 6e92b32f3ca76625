import { defineEntity, p } from '@mikro-orm/core';
import { Society } from './society.entity.js';
import { Member } from './member.entity.js';

/**
 * A member's single-use recovery code (issue 13). Only the SHA-256 is stored: each code carries
 * about 59 random bits, so a fast hash is enough (NIST SP 800-63B §5.1.2.1: look-up secrets of at
 * least 20 bits of entropy may be stored with an approved hash; salted slow hashing is needed only
 * for guessable ones). Used up by one conditional UPDATE (`… WHERE used_at IS NULL`).
 */
export const RecoveryCode = defineEntity({
  name: 'RecoveryCode',
  tableName: 'recovery_code',
  properties: {
    id: p.integer().primary(),
    society: () => p.manyToOne(Society).index(),
    member: () => p.manyToOne(Member).deleteRule('cascade'),
    codeHash: p.string().length(64),
    createdAt: p.datetime(),
    usedAt: p.datetime().nullable(),
  },
  uniques: [{ properties: ['member', 'codeHash'] }],
});
export type RecoveryCodeRow = InstanceType<typeof RecoveryCode.class>;
