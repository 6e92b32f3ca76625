import { appendFileSync } from 'node:fs';
import {
  type CoreContext,
  type Actor,
  searchMembers,
  showMember,
  type MemberDetail,
  memberIdOf,
  unlockMember,
  reissuePassword,
  setMemberDisabled,
  renameMember,
  removeDevices,
  type DeviceSelector,
  type RemovedDevices,
  listTerms,
  membersPendingTerms,
  type TermsSummary,
  publishTerms,
  readTermsFile,
  queryAudit,
  type AuditView,
} from '../core/index.js';

export interface MemberSummary {
  userId: string;
  name: string;
  kana: string;
  birthDate: string;
  status: string;
  cardNumber: string | null;
  email: string | null;
}

/**
 * Everything the TUI does, as calls of core services for one society and one staff actor (the
 * TUI never touches the ORM). Tests build it on a real database, so key presses show their effect
 * in the database.
 */
export interface TuiServices {
  societyName: string;
  search(text: string, limit: number): Promise<MemberSummary[]>;
  show(userId: string): Promise<MemberDetail>;
  unlock(userId: string): Promise<{ wasLocked: boolean }>;
  reissue(userId: string): Promise<{ userId: string; password: string }>;
  removeDevices(userId: string, selector: DeviceSelector): Promise<RemovedDevices>;
  setDisabled(userId: string, disabled: boolean): Promise<{ changed: boolean }>;
  rename(userId: string, input: { name: string; kana: string }): Promise<{ userId: string; name: string; kana: string }>;
  listTerms(): Promise<TermsSummary[]>;
  pendingTerms(): Promise<{ version: number | null; total: number }>;
  publishTerms(path: string): Promise<{ version: number }>;
  audit(userId: string, limit: number): Promise<AuditView[]>;
  /** Records an unexpected error with its stack; returns where (shown to staff). */
  logError(err: unknown): string;
  /** Resolves once no call is running: the database is closed only after this (on quit). */
  idle(): Promise<void>;
}

export function createTuiServices(core: CoreContext, society: { id: number; name: string }, actor: Actor, logPath: string): TuiServices {
  const sid = society.id;
  const running = new Set<Promise<unknown>>();
  const services: TuiServices = {
    societyName: society.name,
    async search(text, limit) {
      return searchMembers(core, sid, text, limit);
    },
    show: (userId) => showMember(core, sid, userId),
    unlock: (userId) => unlockMember(core, actor, { societyId: sid, userId }),
    reissue: (userId) => reissuePassword(core, actor, { societyId: sid, userId }),
    removeDevices: (userId, selector) => removeDevices(core, actor, { societyId: sid, userId, devices: selector }),
    setDisabled: (userId, disabled) => setMemberDisabled(core, actor, { societyId: sid, userId, disabled }),
    async rename(userId, input) {
      const m = await renameMember(core, actor, { societyId: sid, userId, name: input.name, kana: input.kana });
      return { userId: m.userId, name: m.name, kana: m.kana };
    },
    listTerms: () => listTerms(core, sid),
    async pendingTerms() {
      const r = await membersPendingTerms(core, sid, 1);
      return { version: r.version, total: r.total };
    },
    async publishTerms(path) {
      const file = path.trim();
      const v = await publishTerms(core, actor, { societyId: sid, body: await readTermsFile(file), file });
      return { version: v.version };
    },
    async audit(userId, limit) {
      return queryAudit(core, sid, { memberId: await memberIdOf(core, sid, userId), limit });
    },
    logError(err) {
      try {
        appendFileSync(logPath, `${new Date().toISOString()} ${String((err as Error)?.stack ?? err)}\n`, { mode: 0o600 });
      } catch {
        // the log is best effort; the banner still shows
      }
      return logPath;
    },
    async idle() {
      while (running.size) await Promise.allSettled([...running]);
    },
  };
  // Every core call is tracked, so quitting never closes the database under a running query.
  for (const [name, fn] of Object.entries(services) as [keyof TuiServices, unknown][]) {
    if (typeof fn !== 'function' || name === 'logError' || name === 'idle') continue;
    (services as unknown as Record<string, unknown>)[name] = (...args: unknown[]) => {
      const p = (fn as (...a: unknown[]) => Promise<unknown>)(...args);
      running.add(p);
      void p.then(
        () => running.delete(p),
        () => running.delete(p),
      );
      return p;
    };
  }
  return services;
}
