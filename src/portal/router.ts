import Router from '@koa/router';
import type { PortalState } from './types.js';

/** The portal's router type: every route sees PortalState. */
export type PortalRouter = Router<PortalState>;

type MatchResult = ReturnType<PortalRouter['match']>;

export function createRouter(): PortalRouter {
  const router = new Router<PortalState>();
  rememberExactMatches(router);
  return router;
}

/**
 * @koa/router tests the path against every route's pattern (70+ regular expressions) on every
 * request. For a path that is exactly the path of a route without parameters (`/`, `/login`, …) the
 * answer cannot change while the routes stay the same, so it is kept and handed out as a copy (the
 * router appends to the arrays it returns). Only such paths are kept — at most one entry per route
 * and method, whatever paths clients send — and the whole memo is dropped when a route is added.
 */
function rememberExactMatches(router: PortalRouter): void {
  const match = router.match.bind(router);
  const memo = new Map<string, MatchResult>();
  let exactPaths = new Set<string>();
  let routeCount = -1;
  router.match = (path, method) => {
    if (router.stack.length !== routeCount) {
      routeCount = router.stack.length;
      memo.clear();
      exactPaths = new Set(router.stack.filter((layer) => layer.paramNames.length === 0 && typeof layer.path === 'string').map((layer) => layer.path as string));
    }
    const key = `${method} ${path}`;
    let result = memo.get(key);
    if (!result) {
      result = match(path, method);
      if (!exactPaths.has(path) || !result.route || result.path.some((layer) => layer.paramNames.length > 0)) return result;
      memo.set(key, result);
    }
    return { path: [...result.path], pathAndMethod: [...result.pathAndMethod], route: result.route };
  };
}
