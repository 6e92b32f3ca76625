import { defineEntity, p } from '@mikro-orm/core';
import { Member } from './member.entity.js';

/**
 * An authenticator-app device. The secret is AES-256-GCM ciphertext; `lastUsedStep` is the last
 * accepted RFC 6238 time step, so a code is never accepted twice (RFC 6238 §5.2).
 */
export const TotpDevice = defineEntity({
  name: 'TotpDevice',
  tableName: 'totp_device',
  properties: {
    id: p.integer().primary(),
    member: () => p.manyToOne(Member).index(),
    name: p.string().length(64),
    secretEnc: p.text(),
    lastUsedStep: p.bigint('number').nullable(),
    createdAt: p.datetime(),
    lastUsedAt: p.datetime().nullable(),
  },
  uniques: [{ properties: ['member', 'name'] }],
});
export type TotpDeviceRow = InstanceType<typeof TotpDevice.class>;
