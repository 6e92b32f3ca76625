import { changePassword, destroyOtherSessions } from '../../core/index.js';
import { actingMember } from '../acting-member.js';
import { formFailure, renderPage } from '../page.js';
import { continueLogin } from '../login-flow.js';
import type { PortalContext, PortalDeps } from '../types.js';
import { policyView } from './password-policy-view.js';

/** The login's `password` step of a session opened by a reset link (not the first-login one). */
export function inPasswordRecovery(ctx: PortalContext): boolean {
  return ctx.state.session?.state.progress?.recovery === true && ctx.state.member?.status === 'active';
}

const page = { pageTitle: 'パスワードの更新' };

/**
 * パスワードの更新 after a reset link (SCREENS.md §2.10, manual 3-3 ⑩): `パスワードを変更する必要が
 * あります。`, `パスワード`, `パスワード確認用`, `全てのデバイスからサインアウトする` (ticked by
 * default: whoever knew the old password may hold a session), `実行`.
 */
export function showResetPassword(ctx: PortalContext, deps: PortalDeps): void {
  renderPage(ctx, deps, 'reset-password.njk', { ...page, policy: policyView(ctx), signOutOthers: true });
}

/**
 * The new password through the core's changePassword (policy, history of one, notice mail in the
 * same transaction); other sessions end if asked; then progress.passwordReset and on to terms (if
 * updated) or the top page, where the login completes.
 */
export async function submitResetPassword(ctx: PortalContext, deps: PortalDeps): Promise<void> {
  const body = ctx.state.body;
  const signOutOthers = body.signOutOthers === '1';
  try {
    await changePassword(deps.core, actingMember(ctx), { password: body.password, confirm: body.passwordConfirm });
  } catch (err) {
    const failure = formFailure(err);
    return renderPage(ctx, deps, 'reset-password.njk', { ...page, policy: policyView(ctx), signOutOthers, errors: failure.messages, invalid: failure.invalid }, failure.status);
  }
  if (signOutOthers) await destroyOtherSessions(deps.core, actingMember(ctx), { keepSessionId: ctx.state.session!.row.id });
  await continueLogin(ctx, deps, 'passwordReset');
}
