import { showCurrentTerms, dateJapan, acceptTerms } from '../../core/index.js';
import { actingMember } from '../acting-member.js';
import { requireStep } from '../middleware/guards.js';
import { formFailure, renderPage } from '../page.js';
import { continueLogin } from '../login-flow.js';
import type { PortalContext, PortalDeps } from '../types.js';
import type { PortalRouter } from '../router.js';

async function termsView(ctx: PortalContext, deps: PortalDeps) {
  const t = await showCurrentTerms(deps.core, ctx.state.society.id);
  return t ? { title: t.title, version: t.version, body: t.body, publishedAt: dateJapan(t.publishedAt) } : null;
}

/**
 * 利用規約の確認 (SCREENS.md §2.3 step 2, §2.12): the current version with `同意する`. The form
 * carries the version shown, so a version published meanwhile must be read first.
 */
export function termsRoutes(router: PortalRouter, deps: PortalDeps): void {
  const page = { pageTitle: '利用規約の確認' };
  router.get('/login/terms', requireStep(deps, 'terms'), async (ctx) => renderPage(ctx, deps, 'terms.njk', { ...page, terms: await termsView(ctx, deps) }));

  router.post('/login/terms', requireStep(deps, 'terms'), async (ctx) => {
    const version = Number.parseInt(ctx.state.body.version ?? '', 10);
    try {
      await acceptTerms(deps.core, actingMember(ctx), Number.isSafeInteger(version) ? version : -1);
    } catch (err) {
      const failure = formFailure(err);
      return renderPage(ctx, deps, 'terms.njk', { ...page, terms: await termsView(ctx, deps), errors: failure.messages }, failure.status);
    }
    await continueLogin(ctx, deps);
  });
}
