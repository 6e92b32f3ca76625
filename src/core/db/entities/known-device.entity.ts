import { defineEntity, p } from '@mikro-orm/core';
import { Society } from './society.entity.js';
import { Member } from './member.entity.js';

/**
 * A browser that completed a login for a member (issue 13): only the SHA-256 of its device cookie
 * is stored (the cookie is a 256-bit random value, so a plain hash is enough: NIST SP 800-63B
 * §3.1.1.2 asks for salted slow hashing only of guessable secrets). Written only by the store's
 * upsert in src/core/devices/remember-device.ts.
 */
export const KnownDevice = defineEntity({
  name: 'KnownDevice',
  tableName: 'known_device',
  properties: {
    id: p.integer().primary(),
    society: () => p.manyToOne(Society).index(),
    member: () => p.manyToOne(Member).deleteRule('cascade'),
    deviceHash: p.string().length(64),
    userAgent: p.string().length(255).nullable(),
    firstSeenAt: p.datetime(),
    lastSeenAt: p.datetime(),
  },
  uniques: [{ properties: ['member', 'deviceHash'] }],
});
export type KnownDeviceRow = InstanceType<typeof KnownDevice.class>;
