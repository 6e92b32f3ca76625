import { defineEntity, p } from '@mikro-orm/core';
import type { SocietySettings } from '../../society/settings.js';

/** The tenant: one health-insurance society (健保組合). Every other row belongs to one. */
export const Society = defineEntity({
  name: 'Society',
  tableName: 'society',
  properties: {
    id: p.integer().primary(),
    code: p.string().length(32).unique(),
    name: p.string().length(200),
    portalTitle: p.string().length(200),
    settings: p.json<SocietySettings>(),
    createdAt: p.datetime(),
    updatedAt: p.datetime(),
  },
});
export type SocietyRow = InstanceType<typeof Society.class>;
