import { renderPage, seeOther } from '../page.js';
import { STEP_PATHS } from '../steps.js';
import { pendingInteraction } from '../oidc/resume.js';
import { serviceMenuHref } from '../oidc/menu-link.js';
import type { PortalRouter } from '../router.js';
import type { PortalDeps } from '../types.js';

/** Only http(s) links or paths on this site: a `javascript:` URL in the settings never becomes a link. */
export function safeMenuUrl(url: string): boolean {
  return /^https?:\/\/[^\s]+$/i.test(url) || /^\/(?![/\\])\S*$/.test(url);
}

/**
 * `/`: the portal top (SCREENS.md §2.1) before login, the service menu of the society after it
 * (§2.3 step 7). A member in the middle of the login steps is sent to the current step.
 */
export function topRoutes(router: PortalRouter, deps: PortalDeps): void {
  router.get('/', async (ctx) => {
    const step = ctx.state.step;
    if (ctx.state.member && step && step !== 'done') return seeOther(ctx, STEP_PATHS[step]);
    if (step === 'done') {
      // A service's sign-in was waiting for this login (docs/sso.md): back to it instead of the menu.
      const resume = pendingInteraction(ctx);
      if (resume) return seeOther(ctx, resume);
      const menu = ctx.state.society.settings.serviceMenu.filter((m) => safeMenuUrl(m.url)).map((m) => ({ ...m, url: serviceMenuHref(ctx, deps, m), external: /^https?:/i.test(m.url) }));
      return renderPage(ctx, deps, 'home.njk', { pageTitle: 'トップページ', menu, wide: true });
    }
    renderPage(ctx, deps, 'top.njk', { pageTitle: 'トップページ' });
  });
}
