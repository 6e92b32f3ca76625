import { Society } from '../db/entities/index.js';
import { societyView, type SocietyView } from './society-view.js';
import type { CoreContext } from '../context.js';
import type { Actor } from '../actor.js';
import { KosmoError } from '../errors.js';
import { defaultSettings, type SocietySettings } from './settings.js';
import { recordAudit } from '../audit/record-audit.js';

export interface CreateSocietyInput {
  code: string;
  name: string;
  portalTitle?: string;
  settings?: Partial<SocietySettings>;
}

const CODE = /^[a-z0-9][a-z0-9-]{1,31}$/;

export async function createSociety(core: CoreContext, actor: Actor, input: CreateSocietyInput): Promise<SocietyView> {
  const code = input.code.trim().toLowerCase();
  if (!CODE.test(code)) throw new KosmoError('INPUT_INVALID', { field: 'society-code', reason: 'SOCIETY_CODE_FORMAT' });
  const name = input.name.trim();
  if (!name || name.length > 200) throw new KosmoError('INPUT_INVALID', { field: 'society-name', reason: 'LENGTH', min: 1, max: 200 });
  const portalTitle = (input.portalTitle ?? `${name}加入者ページ`).trim();
  if (!portalTitle || portalTitle.length > 200) throw new KosmoError('INPUT_INVALID', { field: 'portal-title', reason: 'LENGTH', min: 1, max: 200 });
  const created = await core.db.em().transactional(async (em) => {
    if (await em.findOne(Society, { code })) throw new KosmoError('SOCIETY_EXISTS', { code });
    const now = core.clock.now();
    const society = em.create(Society, {
      code,
      name,
      portalTitle,
      settings: { ...defaultSettings(), ...input.settings },
      createdAt: now,
      updatedAt: now,
    });
    await em.flush();
    recordAudit(em, core.clock, { societyId: society.id, actor, action: 'society.create', details: { code } });
    return society;
  });
  return societyView(created);
}
