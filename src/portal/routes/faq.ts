import { renderPage } from '../page.js';
import { DEFAULT_FAQ, faqBlocks } from '../content/default-faq.js';
import { policyView } from './password-policy-view.js';
import type { PortalRouter } from '../router.js';
import type { PortalDeps } from '../types.js';

/**
 * よくある質問 (SCREENS.md §2.13): the fifteen questions of the manual's chapter 4, or the
 * society's own list (settings.faq). Open to everyone, also in the middle of the login steps.
 */
export function faqRoutes(router: PortalRouter, deps: PortalDeps): void {
  router.get('/faq', async (ctx) => {
    const custom = ctx.state.society.settings.faq;
    const society = ctx.state.society;
    const vars = { portal: society.portalTitle || society.name };
    const items = (custom ?? DEFAULT_FAQ).map((item, i) => ({
      number: i + 1,
      q: item.q.replaceAll('{portal}', vars.portal),
      blocks: faqBlocks(item.a, vars),
      policy: !custom && 'policy' in item && item.policy === true,
    }));
    renderPage(ctx, deps, 'faq.njk', { pageTitle: 'よくある質問', items, policy: policyView(ctx) });
  });
}
