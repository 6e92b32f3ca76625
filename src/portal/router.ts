import Router from '@koa/router';
import type { PortalState } from './types.js';

/** The portal's router type: every route sees PortalState. */
export type PortalRouter = Router<PortalState>;

export function createRouter(): PortalRouter {
  return new Router<PortalState>();
}
