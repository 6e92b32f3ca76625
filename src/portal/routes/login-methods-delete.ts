import { deleteFactor, factorCounts, listLoginMethods, KosmoError } from '../../core/index.js';
import { actingMember } from '../acting-member.js';
import { requireRecentAuth } from '../middleware/require-recent-auth.js';
import { formFailure, renderPage, seeOther } from '../page.js';
import { setFlash } from '../session-actions.js';
import type { PortalRouter } from '../router.js';
import type { PortalContext, PortalDeps } from '../types.js';
import { KIND_LABELS, type FactorKind } from './second-factor-place.js';

function kindOf(param: string | undefined): FactorKind | null {
  return param === 'otp' || param === 'passkey' ? param : null;
}

/** The member's own factor named by the URL, or null (another member's id is simply not found). */
async function findOwn(ctx: PortalContext, deps: PortalDeps): Promise<{ kind: FactorKind; id: number; name: string } | null> {
  const kind = kindOf(ctx.params.kind);
  const id = Number(ctx.params.id);
  if (!kind || !/^\d{1,12}$/.test(ctx.params.id ?? '')) return null;
  const methods = await listLoginMethods(deps.core, actingMember(ctx));
  const found = (kind === 'otp' ? methods.otp : methods.passkeys).find((f) => f.id === id);
  return found ? { kind, id, name: found.name } : null;
}

/**
 * `削除` → the confirmation (manual 3-7 ⑥: the device name, `削除する` / `戻る`) → deleted, back to
 * ログイン方法変更. The last second factor is never deleted (core LAST_FACTOR): the confirmation
 * says so instead of offering `削除する`, and a post is refused (409) with the same message.
 */
export function loginMethodsDeleteRoutes(router: PortalRouter, deps: PortalDeps): void {
  const path = '/login-methods/:kind/:id/delete';
  const view = async (ctx: PortalContext, factor: { kind: FactorKind; id: number; name: string }, errors?: string[], status = 200) => {
    const counts = await factorCounts(deps.core, actingMember(ctx));
    const last = counts.otp + counts.passkey <= 1;
    renderPage(
      ctx,
      deps,
      'login-methods-delete.njk',
      {
        pageTitle: '二要素認証の削除',
        kindLabel: KIND_LABELS[factor.kind],
        name: factor.name,
        action: `/login-methods/${factor.kind}/${factor.id}/delete`,
        last,
        errors: errors ?? (last ? [new KosmoError('LAST_FACTOR').memberMessage] : undefined),
      },
      status,
    );
  };

  router.get(path, requireRecentAuth(deps), async (ctx) => {
    const factor = await findOwn(ctx, deps);
    if (!factor) throw new KosmoError('NOT_FOUND');
    await view(ctx, factor);
  });

  router.post(path, requireRecentAuth(deps), async (ctx) => {
    const factor = await findOwn(ctx, deps);
    if (!factor) throw new KosmoError('NOT_FOUND');
    try {
      await deleteFactor(deps.core, actingMember(ctx), { kind: factor.kind, id: factor.id });
    } catch (err) {
      const failure = formFailure(err);
      return view(ctx, factor, failure.messages, failure.status);
    }
    setFlash(ctx, `「${factor.name}」を削除しました。`);
    seeOther(ctx, '/login-methods');
  });
}
