import { defineEntity, p } from '@mikro-orm/core';
import { Member } from './member.entity.js';

/** The member's password: an argon2id PHC string only (DESIGN.md §4). `createdAt` is shown to the member. */
export const PasswordCredential = defineEntity({
  name: 'PasswordCredential',
  tableName: 'password_credential',
  properties: {
    id: p.integer().primary(),
    member: () => p.oneToOne(Member).owner().unique(),
    hash: p.string().length(255),
    provisional: p.boolean(),
    createdAt: p.datetime(),
  },
});
export type PasswordCredentialRow = InstanceType<typeof PasswordCredential.class>;
