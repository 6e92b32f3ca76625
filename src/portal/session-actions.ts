import { KosmoError, type ErrorCode, type ActingMember, createSession, rotateSession, type SessionChange, destroySession, type RenewedSession } from '../core/index.js';
import { sessionCookieName, writeCookie } from './cookies.js';
import { seeOther } from './page.js';
import type { PortalContext, PortalDeps } from './types.js';

function client(ctx: PortalContext) {
  return { ip: ctx.state.ip, userAgent: ctx.get('user-agent') || null };
}

function setCookieFor(ctx: PortalContext, deps: PortalDeps, token: string, persistent: boolean, absoluteExpiresAt: Date): void {
  // A persistent session's cookie lives until the absolute deadline; a normal one ends with the browser.
  const maxAge = persistent ? (absoluteExpiresAt.getTime() - deps.core.clock.now().getTime()) / 1000 : undefined;
  writeCookie(ctx, sessionCookieName(ctx.state.secure), token, { secure: ctx.state.secure, maxAgeSeconds: maxAge });
}

export function clearSessionCookie(ctx: PortalContext): void {
  writeCookie(ctx, sessionCookieName(ctx.state.secure), '', { secure: ctx.state.secure, maxAgeSeconds: 0 });
}

/** The session of this request, created (anonymous, with a CSRF token) when there is none yet. */
export async function ensureSession(ctx: PortalContext, deps: PortalDeps): Promise<void> {
  if (ctx.state.session) return;
  const { token, session } = await createSession(deps.core, ctx.state.society.id, client(ctx));
  setCookieFor(ctx, deps, token, false, session.absoluteExpiresAt);
  ctx.state.session = { row: session, state: { ...session.state }, dirty: false, member: null };
}

/** A new session token (and CSRF token) at every (re)authentication; see rotateSession. */
export async function rotateTo(ctx: PortalContext, deps: PortalDeps, change: Omit<SessionChange, 'expectTokenHash'>): Promise<void> {
  await ensureSession(ctx, deps);
  const current = ctx.state.session!.row;
  adoptRenewedSession(ctx, deps, await rotateSession(deps.core, current.id, { ...change, expectTokenHash: current.tokenHash }));
}

/** A session the core renewed (new token): its cookie, and the request goes on with it. */
export function adoptRenewedSession(ctx: PortalContext, deps: PortalDeps, renewed: RenewedSession): void {
  setCookieFor(ctx, deps, renewed.token, renewed.session.persistent, renewed.session.absoluteExpiresAt);
  ctx.state.session = { row: renewed.session, state: { ...renewed.session.state }, dirty: false, member: null };
}

/** Server-side logout: the row is deleted and the cookie cleared. */
export async function endSession(ctx: PortalContext, deps: PortalDeps, acting: ActingMember | null): Promise<void> {
  const s = ctx.state.session;
  if (s) await destroySession(deps.core, acting, { societyId: ctx.state.society.id, sessionId: s.row.id });
  clearSessionCookie(ctx);
  ctx.state.session = null;
  ctx.state.member = null;
  ctx.state.step = null;
}

/**
 * Ends a login that may not continue (locked, throttled, expired) and shows the login page with
 * the message of `code` — for a lock the same generic message as a wrong password (DESIGN.md §4).
 */
export async function bounceToLogin(ctx: PortalContext, deps: PortalDeps, code: ErrorCode): Promise<void> {
  await endSession(ctx, deps, null);
  await ensureSession(ctx, deps);
  ctx.state.session!.state.flash = new KosmoError(code).memberMessage;
  ctx.state.session!.state.flashKind = 'error';
  ctx.state.session!.dirty = true;
  seeOther(ctx, '/login');
}

export function setFlash(ctx: PortalContext, message: string, kind: 'error' | 'info' = 'info'): void {
  if (!ctx.state.session) return;
  ctx.state.session.state.flash = message;
  ctx.state.session.state.flashKind = kind;
  ctx.state.session.dirty = true;
}
