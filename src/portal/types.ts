import type { ParameterizedContext, Middleware, Next } from 'koa';
import type { CoreContext } from '../core/context.js';
import type { MemberRow, SessionRow, SocietyRow } from '../core/db/entities/index.js';
import type { LoginStep } from '../core/auth/login-step.js';
import type { SessionState } from '../core/sessions/session-state.js';
import type { PortalLogger } from './logger.js';
import type { TrustProxy, TrustProxyInput } from '../core/trust-proxy.js';
import type { Renderer } from './render.js';
import type { SecondFactorRoutes } from './routes/second-factor.js';

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
  /**
   * The second-factor steps (SCREENS.md §2.3 step 6, §2.5, §2.6). Default: the real routes
   * (routes/second-factor.ts `secondFactorRoutes`); tests may plug in a stand-in.
   */
  secondFactor?: SecondFactorRoutes;
}

/** A request's view of its session: the row, its state, and whether the state must be saved. */
export interface SessionHandle {
  row: SessionRow;
  state: SessionState;
  dirty: boolean;
}

export interface PortalState {
  requestId: string;
  nonce: string;
  society: SocietyRow;
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
  member: MemberRow | null;
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
