import { defineEntity, p } from '@mikro-orm/core';
import { Member } from './member.entity.js';

/** A WebAuthn credential (生体認証). Public key and ids are base64url text. */
export const Passkey = defineEntity({
  name: 'Passkey',
  tableName: 'passkey',
  properties: {
    id: p.integer().primary(),
    member: () => p.manyToOne(Member).index(),
    label: p.string().length(64),
    credentialId: p.string().length(1400).unique(),
    publicKey: p.text(),
    counter: p.bigint('number'),
    transports: p.json<string[]>(),
    createdAt: p.datetime(),
    lastUsedAt: p.datetime().nullable(),
  },
  uniques: [{ properties: ['member', 'label'] }],
});
export type PasskeyRow = InstanceType<typeof Passkey.class>;
