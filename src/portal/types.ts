import type { ParameterizedContext, Middleware, Next } from 'koa';
import type { CoreContext, MemberView, SessionView, SocietyView, LoginStep, SessionState, TrustProxy, TrustProxyInput } from '../core/index.js';
import type { PortalLogger } from './logger.js';
import type { Renderer } from './render.js';

export interface PortalOptions {
  /** The URL members use (`--public-url`). An https URL turns on Secure / `__Host-` cookies and HSTS. */
  publicUrl?: string | null;
  /**
   * Trust X-Forwarded-For / -Proto / -Host from reverse proxies we run (`--trust-proxy`,
   * KOSMO_TRUST_PROXY): `true` / 1 = one proxy, N proxies, or their addresses / CIDR ranges.
   */
  trustProxy?: TrustProxyInput;
  log?: PortalLogger;
  /** Largest urlencoded body accepted, in bytes (413 above). */
  bodyLimit?: number;
}

/** A request's view of its session: the row, its state, and whether the state must be saved. */
export interface SessionHandle {
  row: SessionView;
  state: SessionState;
  dirty: boolean;
  /** The session's member as read with it (null when none), for `loginStatus`. */
  member: MemberView | null;
}

export interface PortalState {
  requestId: string;
  nonce: string;
  society: SocietyView;
  /** Served over HTTPS (public URL, or a trusted proxy said so). */
  secure: boolean;
  /** The origin a same-site form post carries (scheme://host[:port]). */
  origin: string;
  ip: string | null;
  /** Parsed urlencoded body (unsafe methods only); every value a string, first one wins. */
  body: Record<string, string>;
  session: SessionHandle | null;
  /** The session's cookie had timed out (used to explain the login page). */
  sessionExpired: boolean;
  member: MemberView | null;
  /** Where the member is in the login (`done` = fully authenticated), null without a member. */
  step: LoginStep | null;
}

export type PortalContext = ParameterizedContext<PortalState>;
export type PortalMiddleware = Middleware<PortalState>;
export type { Next };

/** What every middleware and route gets from `createPortalApp`. */
export interface PortalDeps {
  core: CoreContext;
  options: Required<Pick<PortalOptions, 'bodyLimit'>> & { trustProxy: TrustProxy; publicUrl: URL | null };
  log: PortalLogger;
  renderer: Renderer;
}
