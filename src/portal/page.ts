import { KosmoError, KosmoValidationError, type ErrorKind } from '../core/errors.js';
import { FIRST_LOGIN_STEPS } from './steps.js';
import type { PortalContext, PortalDeps } from './types.js';

/** DESIGN.md §3: the HTTP status of each error kind. */
export function statusForKind(kind: ErrorKind): number {
  switch (kind) {
    case 'invalid_input':
      return 400;
    case 'unauthenticated':
      return 401;
    case 'forbidden':
      return 403;
    case 'locked':
      return 423;
    case 'not_found':
      return 404;
    case 'conflict':
      return 409;
    case 'unavailable':
      return 503;
    default:
      return 500;
  }
}

/**
 * An expected failure of a form (a rule the spec words): its status and the messages to show above
 * the form. Anything else is not a member's mistake and goes on to the 500 page.
 */
export function formFailure(err: unknown): { status: number; messages: string[]; code: string } {
  if (err instanceof KosmoValidationError) return { status: statusForKind(err.kind), messages: err.messages, code: err.code };
  if (err instanceof KosmoError) return { status: statusForKind(err.kind), messages: [err.memberMessage], code: err.code };
  throw err;
}

/**
 * Renders a page inside the layout with what every page needs: the portal title, the member's
 * name or `ログイン`, the CSRF token, the CSP nonce, a one-time flash message. Every HTML page is
 * `no-store` (ASVS 14.3.2): they carry personal data or a CSRF token.
 */
export function renderPage(ctx: PortalContext, deps: PortalDeps, template: string, vars: Record<string, unknown> = {}, status = 200): void {
  const society = ctx.state.society as PortalContext['state']['society'] | undefined;
  const session = ctx.state.session;
  const step = ctx.state.step;
  const member = ctx.state.member;
  let flash: { text: string; kind: 'error' | 'info' } | null = null;
  if (session?.state.flash) {
    flash = { text: session.state.flash, kind: session.state.flashKind ?? 'info' };
    delete session.state.flash;
    delete session.state.flashKind;
    session.dirty = true;
  }
  const onboarding = member && member.status === 'provisional' && step && step !== 'done';
  const stepIndex = onboarding ? FIRST_LOGIN_STEPS.findIndex((s) => s.step === step) : -1;
  ctx.status = status;
  ctx.type = 'text/html; charset=utf-8';
  ctx.set('Cache-Control', 'no-store');
  ctx.body = deps.renderer.render(template, {
    portalTitle: society?.portalTitle ?? '加入者ページ',
    societyName: society?.name ?? '',
    nonce: ctx.state.nonce,
    csrf: session?.state.csrf ?? '',
    authenticated: step === 'done',
    inLogin: Boolean(member) && step !== 'done',
    memberName: step === 'done' ? member?.name : null,
    path: ctx.path,
    flash,
    stepper: stepIndex >= 0 ? FIRST_LOGIN_STEPS.map((s, i) => ({ label: s.label, state: i < stepIndex ? 'done' : i === stepIndex ? 'current' : 'todo' })) : null,
    stepNumber: stepIndex + 1,
    stepCount: FIRST_LOGIN_STEPS.length,
    ...vars,
  });
}

/** 303 See Other: after a form post the browser follows with a GET (no re-submission). */
export function seeOther(ctx: PortalContext, path: string): void {
  ctx.redirect(path);
  ctx.status = 303;
}
