import type { CoreContext } from '../context.js';
import { loadMember } from '../accounts/find-member.js';
import { nextLoginStep, type LoginProgress, type LoginStep } from '../auth/login-step.js';
import { completeLogin } from '../auth/complete-login.js';
import { rotateSession } from '../sessions/rotate-session.js';
import type { LoginSession, RenewedSession } from './login-session.js';
import { rememberLoginDevice, type LoginClient } from '../devices/remember-login-device.js';

/** A proof a login step makes (birth date, second factor, new password in a recovery). */
export type LoginProof = 'birthDateVerified' | 'secondFactorVerified' | 'recoveryCodeVerified' | 'passwordReset';

export interface LoginAdvance {
  /** The step the member goes to now; `done` is the top page (the login has completed). */
  step: LoginStep;
  /** Set when the session token was renewed (a proof, or the completed login). */
  renewed: RenewedSession | null;
  /** When the login completed in a browser without a device cookie: the value to set (issue 13). */
  deviceToken?: string | null;
}

/**
 * The one place a login moves on (SCREENS.md §2.2–2.3, §2.10): records the proof this step made,
 * asks `nextLoginStep` where the member goes next and, when nothing is left, completes the login
 * (last login stamped, failure count reset, audited) with the remember-me limits. Each proof
 * renews the session token, since it raises what the session may do (ASVS 7.2.4); the renewal is
 * a compare-and-set on the token the request carried, so a racing request cannot reuse it.
 */
export async function advanceLogin(core: CoreContext, societyId: number, memberId: number, session: LoginSession, client: LoginClient, proof?: LoginProof): Promise<LoginAdvance> {
  const state = session.state;
  const progress: LoginProgress = { ...(state.progress ?? {}), ...(proof ? { [proof]: true } : {}) };
  const em = core.db.em();
  const member = await loadMember(em, societyId, memberId);
  const step = await nextLoginStep(em, societyId, member, progress);
  const { csrf: _csrf, ...rest } = state;
  if (step === 'done') {
    await completeLogin(core, societyId, memberId, client.ip);
    const renewed = await rotateSession(core, session.id, {
      expectTokenHash: session.tokenHash,
      memberId,
      state: { stage: 'authenticated', progress, ...(state.flash ? { flash: state.flash, flashKind: state.flashKind } : {}) },
      persistent: state.rememberMe === true,
      authenticated: true,
    });
    // Issue 13: the browser becomes a known device (new-device notice; smart lockout).
    const device = await rememberLoginDevice(core, societyId, memberId, client);
    return { step, renewed, deviceToken: device.token };
  }
  if (!proof) return { step, renewed: null };
  const renewed = await rotateSession(core, session.id, { expectTokenHash: session.tokenHash, memberId, state: { ...rest, stage: 'login', progress }, authenticated: true });
  return { step, renewed };
}
