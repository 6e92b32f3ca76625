import type { TestDatabase } from '../../support/databases.js';
import { createTestCore, STAFF, type TestCore } from '../../support/core.js';
import { startPortal, type RunningPortal, type StartOptions } from '../../../src/portal/server.js';
import { issueMember } from '../../../src/core/accounts/issue-member.js';
import { publishTerms } from '../../../src/core/terms/publish-terms.js';
import { updateSocietySetting } from '../../../src/core/society/update-society-setting.js';
import { Member, TotpDevice } from '../../../src/core/db/entities/index.js';
import type { PortalLogger } from '../../../src/portal/logger.js';
import { totpCodeAt } from '../../../src/core/credentials/totp/index.js';
import { totpSealContext } from '../../../src/core/factors/totp-seal-context.js';
import { Browser } from './browser.js';

export interface TestPortal extends TestCore {
  portal: RunningPortal;
  url: string;
  logs: string[];
  browser(origin?: string): Browser;
  issue(overrides?: Partial<{ name: string; kana: string; birthDate: string; email: string | null }>): Promise<{ userId: string; password: string; memberId: number }>;
  setSetting(key: string, value: string): Promise<void>;
  stop(): Promise<void>;
}

/**
 * The code the member's authenticator app (their only device) shows, for a login through the real
 * second-factor step. The clock first moves to the next 30-second step, since a step once used is
 * refused (RFC 6238 §5.2).
 */
export async function freshOtpCode(p: TestPortal, userId: string): Promise<string> {
  const em = p.core.db.em();
  const member = await em.findOneOrFail(Member, { society: p.society.id, userId });
  const device = await em.findOneOrFail(TotpDevice, { member: member.id }, { orderBy: { id: 'asc' } });
  p.clock.advanceSeconds(30);
  return totpCodeAt(p.core.secretBox.open(device.secretEnc, totpSealContext(p.society.id, member.id)), p.clock.now());
}

export async function startTestPortal(database: TestDatabase, opts: Omit<StartOptions, 'log'> & { withTerms?: boolean } = {}): Promise<TestPortal> {
  const t = await createTestCore(database);
  if (opts.withTerms !== false) await publishTerms(t.core, STAFF, { societyId: t.society.id, title: '利用規約', body: '第1条(目的)\nこの規約は加入者ページの利用条件を定めます。' });
  const logs: string[] = [];
  const log: PortalLogger = { info: (e) => logs.push(JSON.stringify(e)), error: (e) => logs.push(JSON.stringify(e)) };
  const portal = await startPortal(t.core, { port: 0, log, ...opts });
  const self: TestPortal = {
    ...t,
    portal,
    url: portal.url,
    logs,
    browser: (origin?: string) => new Browser(portal.url, origin ?? portal.url),
    async issue(o = {}) {
      const r = await issueMember(t.core, STAFF, {
        societyId: t.society.id,
        member: {
          name: o.name ?? '山田 太郎',
          kana: o.kana ?? 'ヤマダ タロウ',
          birthDate: o.birthDate ?? '1979-08-22',
          email: o.email === undefined ? 'taro@example.jp' : (o.email ?? undefined),
        },
      });
      return { userId: r.userId, password: r.password, memberId: r.member.id };
    },
    async setSetting(key, value) {
      await updateSocietySetting(t.core, STAFF, { societyId: t.society.id, key, value });
    },
    async stop() {
      await portal.close();
      await t.close();
    },
  };
  return self;
}
