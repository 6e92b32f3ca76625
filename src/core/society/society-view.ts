import type { SocietySettings } from './settings.js';

/** A society as front ends see it: plain data, never an ORM entity. */
export interface SocietyView {
  id: number;
  code: string;
  name: string;
  portalTitle: string;
  settings: SocietySettings;
  createdAt: Date;
  updatedAt: Date;
}

export function societyView(s: SocietyView): SocietyView {
  return { id: s.id, code: s.code, name: s.name, portalTitle: s.portalTitle, settings: s.settings, createdAt: s.createdAt, updatedAt: s.updatedAt };
}
