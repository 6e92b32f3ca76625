import { KosmoError, KosmoValidationError, type ErrorCode, type ErrorKind } from '../core/index.js';
import { FIRST_LOGIN_STEPS, recoverySteps } from './steps.js';
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
 * The form field each member-facing error is about (the `name` of the input, or `method` for the
 * 認証方式 radios), so a page outlines (aria-invalid) only the field that needs correcting and
 * keeps what was right (issue 12 point 4). A code not listed here marks no field.
 */
const FIELDS_OF_CODE: Partial<Record<ErrorCode, string[]>> = {
  INVALID_CREDENTIALS: ['userId', 'password'],
  ACCOUNT_LOCKED: ['userId', 'password'],
  BIRTH_DATE_MISMATCH: ['birthDate'],
  BIRTH_DATE_INVALID: ['birthDate'],
  USER_ID_REQUIRED: ['userId'],
  USER_ID_LENGTH: ['userId'],
  USER_ID_CHARS: ['userId'],
  USER_ID_TAKEN: ['userId'],
  USER_ID_UNCHANGED: ['userId'],
  METHOD_REQUIRED: ['method'],
  METHOD_NOT_ALLOWED: ['method'],
  PASSWORD_REQUIRED: ['password'],
  PASSWORD_TOO_SHORT: ['password'],
  PASSWORD_TOO_LONG: ['password'],
  PASSWORD_CHARS: ['password'],
  PASSWORD_EQUALS_USER_ID: ['password'],
  PASSWORD_UNCHANGED: ['password'],
  PASSWORD_COMMON: ['password'],
  PASSWORD_CONTAINS_USER_ID: ['password'],
  PASSWORD_CONTAINS_SOCIETY_CODE: ['password'],
  PASSWORD_CONTAINS_SOCIETY_NAME: ['password'],
  PASSWORD_REPEATED_CHAR: ['password'],
  PASSWORD_REPEATED_BLOCK: ['password'],
  PASSWORD_SEQUENCE: ['password'],
  PASSWORD_MISMATCH: ['passwordConfirm'],
  EMAIL_REQUIRED: ['email'],
  EMAIL_TAKEN: ['email'],
  EMAIL_INVALID: ['email'],
  EMAIL_TOO_LONG: ['email'],
  OTP_SETUP_INVALID: ['code'],
  OTP_INVALID: ['code'],
  DEVICE_NAME_REQUIRED: ['deviceName'],
  DEVICE_NAME_TAKEN: ['deviceName'],
};

/** The fields an error is about: `{ userId: true }` for the templates' `invalid.userId`. */
export function invalidFields(err: KosmoError): Record<string, true> {
  const codes = err instanceof KosmoValidationError ? err.codes : [err.code];
  const fields: Record<string, true> = {};
  for (const code of codes) for (const f of FIELDS_OF_CODE[code] ?? []) fields[f] = true;
  // The device name's length / control-character check reports INPUT_INVALID naming its field.
  if (err.code === 'INPUT_INVALID' && err.details.field === 'device-name') fields.deviceName = true;
  return fields;
}

/**
 * An expected failure of a form (a rule the spec words): its status, the messages to show above
 * the form and the fields they are about. Anything else is not a member's mistake and goes on to
 * the 500 page.
 */
export function formFailure(err: unknown): { status: number; messages: string[]; code: string; invalid: Record<string, true> } {
  if (err instanceof KosmoValidationError) return { status: statusForKind(err.kind), messages: err.messages, code: err.code, invalid: invalidFields(err) };
  // A locked account is answered exactly like a wrong password, status included (DESIGN.md §4).
  if (err instanceof KosmoError) return { status: err.code === 'ACCOUNT_LOCKED' ? 401 : statusForKind(err.kind), messages: [err.memberMessage], code: err.code, invalid: invalidFields(err) };
  throw err;
}

/**
 * The progress shown above a page: the first login's six steps for a provisional member, the
 * password reset's two (or, after `スマートデバイスを紛失した場合`, three) for a session opened by a
 * reset link; null elsewhere.
 */
function progressView(ctx: PortalContext) {
  const member = ctx.state.member;
  const step = ctx.state.step;
  if (!member || !step || step === 'done') return null;
  if (member.status === 'provisional') {
    const index = FIRST_LOGIN_STEPS.findIndex((s) => s.step === step);
    if (index < 0) return null;
    return { title: '初回ログイン', label: '初回ログインの手順', steps: FIRST_LOGIN_STEPS, index, next: null };
  }
  const progress = ctx.state.session?.state.progress ?? {};
  if (!progress.recovery) return null;
  const steps = recoverySteps(progress.lostDevice !== undefined);
  const index = steps.findIndex((s) => s.step === step);
  if (index < 0) return null;
  return { title: 'パスワードの再設定', label: 'パスワードの再設定の手順', steps, index, next: steps[index]!.next };
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
  const progress = progressView(ctx);
  const stepIndex = progress ? progress.index : -1;
  ctx.status = status;
  ctx.type = 'text/html; charset=utf-8';
  ctx.set('Cache-Control', 'no-store');
  // Encoded once here: with a string body Koa measures its UTF-8 length and Node encodes it again.
  ctx.body = Buffer.from(
    deps.renderer.render(template, {
      portalTitle: society?.portalTitle ?? '加入者ページ',
      societyName: society?.name ?? '',
      nonce: ctx.state.nonce,
      csrf: session?.state.csrf ?? '',
      authenticated: step === 'done',
      inLogin: Boolean(member) && step !== 'done',
      memberName: step === 'done' ? member?.name : null,
      path: ctx.path,
      flash,
      stepper: progress ? progress.steps.map((s, i) => ({ label: s.label, state: i < stepIndex ? 'done' : i === stepIndex ? 'current' : 'todo' })) : null,
      stepperTitle: progress?.title ?? null,
      stepperLabel: progress?.label ?? null,
      stepperNext: progress?.next ?? null,
      stepNumber: stepIndex + 1,
      stepCount: progress ? progress.steps.length : FIRST_LOGIN_STEPS.length,
      inRecovery: Boolean(member) && step !== 'done' && session?.state.progress?.recovery === true,
      ...vars,
    }),
  );
}

/** 303 See Other: after a form post the browser follows with a GET (no re-submission). */
export function seeOther(ctx: PortalContext, path: string): void {
  ctx.redirect(path);
  ctx.status = 303;
}
