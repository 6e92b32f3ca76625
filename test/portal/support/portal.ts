import type { TestDatabase } from '../../support/databases.js';
import { createTestCore, STAFF, type TestCore } from '../../support/core.js';
import { startPortal, type RunningPortal, type StartOptions } from '../../../src/portal/server.js';
import { issueMember } from '../../../src/core/accounts/issue-member.js';
import { publishTerms } from '../../../src/core/terms/publish-terms.js';
import { updateSocietySetting } from '../../../src/core/society/update-society-setting.js';
import { finishOnboardingIfDone } from '../../../src/core/onboarding/finish-onboarding.js';
import { Member, TotpDevice } from '../../../src/core/db/entities/index.js';
import type { PortalLogger } from '../../../src/portal/logger.js';
import type { SecondFactorRoutes, StepKit } from '../../../src/portal/routes/second-factor.js';
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

/** The code the stand-in second factor accepts (tests only; the real step is the next issue). */
export const TEST_FACTOR_CODE = '246810';

/**
 * A stand-in for the next issue's second-factor routes, plugged in through the documented hook:
 * set-up adds a device row the way the real core function will (with finishOnboardingIfDone in
 * the same transaction); both pages accept only TEST_FACTOR_CODE. Used only where a test must
 * get past the factor to reach the member pages.
 */
export function testSecondFactor(t: () => TestCore): SecondFactorRoutes {
  type Ctx = Parameters<StepKit['render']>[0];
  const form = (ctx: Ctx, action: string, error = '', status = 200) => {
    ctx.status = status;
    ctx.type = 'text/html; charset=utf-8';
    const csrf = ctx.state.session?.state.csrf ?? '';
    ctx.body = `<!doctype html><html lang="ja"><body><p>${error}</p><form method="post" action="${action}"><input type="hidden" name="_csrf" value="${csrf}"><label for="code">コード</label><input id="code" name="code"><button>送信</button></form></body></html>`;
  };
  return (router, kit) => {
    router.get('/setup/factor', kit.requireStep('factor_setup'), async (ctx) => form(ctx, '/setup/factor'));
    router.get('/login/second-factor', kit.requireStep('second_factor'), async (ctx) => form(ctx, '/login/second-factor'));
    router.post('/setup/factor', kit.requireStep('factor_setup'), async (ctx) => {
      if (ctx.state.body.code !== TEST_FACTOR_CODE) return form(ctx, '/setup/factor', '認証コードが異なります', 400);
      await t().core.db.em().transactional(async (em) => {
        const member = await em.findOneOrFail(Member, { id: ctx.state.member!.id });
        em.create(TotpDevice, { member, name: 'test', secretEnc: 'x', lastUsedStep: null, createdAt: t().clock.now(), lastUsedAt: null });
        finishOnboardingIfDone(em, t().clock, member);
      });
      await kit.secondFactorVerified(ctx);
    });
    router.post('/login/second-factor', kit.requireStep('second_factor'), async (ctx) => {
      if (ctx.state.body.code !== TEST_FACTOR_CODE) return form(ctx, '/login/second-factor', 'ワンタイムパスワードが正しくありません', 401);
      await kit.secondFactorVerified(ctx);
    });
  };
}

export async function startTestPortal(database: TestDatabase, opts: Omit<StartOptions, 'log'> & { withTerms?: boolean; withFactorStub?: boolean } = {}): Promise<TestPortal> {
  const t = await createTestCore(database);
  if (opts.withTerms !== false) await publishTerms(t.core, STAFF, t.society.id, { title: '利用規約', body: '第1条(目的)\nこの規約は加入者ページの利用条件を定めます。' });
  const logs: string[] = [];
  const log: PortalLogger = { info: (e) => logs.push(JSON.stringify(e)), error: (e) => logs.push(JSON.stringify(e)) };
  let self: TestPortal;
  const portal = await startPortal(t.core, {
    port: 0,
    log,
    ...opts,
    ...(opts.withFactorStub ? { secondFactor: testSecondFactor(() => self) } : {}),
  });
  self = {
    ...t,
    portal,
    url: portal.url,
    logs,
    browser: (origin?: string) => new Browser(portal.url, origin ?? portal.url),
    async issue(o = {}) {
      const r = await issueMember(t.core, STAFF, t.society.id, { name: o.name ?? '山田 太郎', kana: o.kana ?? 'ヤマダ タロウ', birthDate: o.birthDate ?? '1979-08-22', email: o.email === undefined ? 'taro@example.jp' : o.email ?? undefined });
      return { userId: r.userId, password: r.password, memberId: r.member.id };
    },
    async setSetting(key, value) {
      await updateSocietySetting(t.core, STAFF, t.society.id, key, value);
    },
    async stop() {
      await portal.close();
      await t.close();
    },
  };
  return self;
}
