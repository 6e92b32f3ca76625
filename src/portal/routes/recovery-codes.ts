import { createRecoveryCodes, dateTimeJapan, recoveryCodeStatus, RECOVERY_CODE_COUNT } from '../../core/index.js';
import { actingMember } from '../acting-member.js';
import { requireAuthenticated } from '../middleware/guards.js';
import { requireRecentAuth } from '../middleware/require-recent-auth.js';
import { formFailure, renderPage } from '../page.js';
import type { PortalRouter } from '../router.js';
import type { PortalContext, PortalDeps } from '../types.js';

export const RECOVERY_CODES_PATH = '/login-methods/recovery-codes';

/**
 * リカバリーコード (issue 13), under ログイン方法変更: how many codes are left; `作成` makes a new set
 * of 10 that replaces the old one — after a recent (re-)authentication (§2.9), since the codes
 * stand in for the second factor. The codes are shown once, on the answer to that POST (no-store,
 * never kept in the session), with `印刷する` and `コピー`.
 */
export function recoveryCodesRoutes(router: PortalRouter, deps: PortalDeps): void {
  const show = async (ctx: PortalContext, errors?: string[], status = 200) => {
    const s = await recoveryCodeStatus(deps.core, actingMember(ctx));
    renderPage(
      ctx,
      deps,
      'recovery-codes.njk',
      { pageTitle: 'リカバリーコード', remaining: s.remaining, createdAt: s.createdAt ? dateTimeJapan(s.createdAt) : null, count: RECOVERY_CODE_COUNT, errors },
      status,
    );
  };

  router.get(RECOVERY_CODES_PATH, requireAuthenticated(deps), (ctx) => show(ctx));

  router.post(RECOVERY_CODES_PATH, requireRecentAuth(deps, { returnTo: RECOVERY_CODES_PATH }), async (ctx) => {
    try {
      const made = await createRecoveryCodes(deps.core, actingMember(ctx));
      renderPage(ctx, deps, 'recovery-codes-new.njk', { pageTitle: 'リカバリーコード', codes: made.codes, createdAt: dateTimeJapan(made.createdAt), copyText: made.codes.join('\n') });
    } catch (err) {
      const failure = formFailure(err);
      await show(ctx, failure.messages, failure.status);
    }
  });
}
