import { KosmoError } from '../../core/index.js';
import { renderPage, statusForKind } from '../page.js';
import type { PortalDeps, PortalMiddleware } from '../types.js';

const GENERIC_500 = 'システムエラーが発生しました。しばらく時間をおいてから再度お試しください。';

/**
 * Every failure ends as a page, never a stack trace (ASVS 16.5.1 / DESIGN.md §3): a KosmoError shows
 * its member message with its kind's status; an HTTP error from Koa or the router its status with a
 * fixed text; anything else the generic 500 page with the request id, details only in the log.
 */
export function errorPages(deps: PortalDeps): PortalMiddleware {
  return async (ctx, next) => {
    try {
      await next();
    } catch (err) {
      let status = 500;
      let message = GENERIC_500;
      if (err instanceof KosmoError) {
        status = statusForKind(err.kind);
        message = err.memberMessage;
      } else {
        const httpStatus = (err as { status?: unknown; expose?: unknown })?.status;
        if (typeof httpStatus === 'number' && httpStatus >= 400 && httpStatus < 500) {
          status = httpStatus;
          message = status === 404 ? 'ページが見つかりません。' : '入力内容に誤りがあります。';
        }
      }
      if (status >= 500) {
        const e = err as Error;
        deps.log.error({
          msg: 'unexpected error',
          requestId: ctx.state.requestId,
          method: ctx.method,
          path: ctx.path.slice(0, 200),
          error: e?.name,
          message: String(e?.message ?? err).slice(0, 500),
          stack: e?.stack,
        });
      }
      // The response may have been half built (a new cookie, a redirect): start the body over.
      ctx.remove('Location');
      try {
        renderPage(ctx, deps, 'error.njk', { message, requestId: status >= 500 ? ctx.state.requestId : null, status }, status);
      } catch (renderErr) {
        deps.log.error({ msg: 'error page failed', requestId: ctx.state.requestId, error: (renderErr as Error)?.name });
        ctx.status = status;
        ctx.type = 'text/plain; charset=utf-8';
        ctx.body = `${message}\nrequest id: ${ctx.state.requestId}`;
      }
    }
  };
}
