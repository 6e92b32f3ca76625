import type { CoreContext } from '../context.js';
import type { ActingMember } from '../actor.js';
import { KosmoError } from '../errors.js';
import { auditedTransaction } from '../audit/insert-audit.js';
import { decideLoginStep, type LoginProgress, type LoginStep } from '../auth/login-step.js';
import { loginFacts } from '../auth/login-facts.js';
import { completeLogin } from '../auth/complete-login.js';
import { rotateSessionInStore } from '../sessions/rotate-session-in-store.js';
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
 * decides where the member goes next (login-step.ts) and, when nothing is left, completes the login
 * (last login stamped, failure count reset, audited — in the same store transaction as the
 * session's renewal) with the remember-me limits. Each proof renews the session token, since it
 * raises what the session may do (ASVS 7.2.4); the renewal is a compare-and-set on the token the
 * request carried, so a racing request cannot reuse it. `input.client`: the browser's device cookie
 * and user agent; its address is the acting member's.
 */
export async function advanceLogin(core: CoreContext, acting: ActingMember, input: { session: LoginSession; client: Omit<LoginClient, 'ip'>; proof?: LoginProof }): Promise<LoginAdvance> {
  const { societyId, memberId } = acting;
  const { session, proof } = input;
  const client: LoginClient = { ...input.client, ip: acting.ip };
  const state = session.state;
  const progress: LoginProgress = { ...(state.progress ?? {}), ...(proof ? { [proof]: true } : {}) };
  const facts = await loginFacts(core.db.store, societyId, memberId);
  if (!facts) throw new KosmoError('SESSION_EXPIRED');
  const step = decideLoginStep(facts, progress);
  const { csrf: _csrf, ...rest } = state;
  if (step === 'done') {
    const renewed = await auditedTransaction(core, async (tx) => {
      const rotated = await rotateSessionInStore(core, tx, session.id, {
        expectTokenHash: session.tokenHash,
        memberId,
        state: { stage: 'authenticated', progress, ...(state.flash ? { flash: state.flash, flashKind: state.flashKind } : {}) },
        persistent: state.rememberMe === true,
        authenticated: true,
      });
      await completeLogin(core, societyId, facts.member, client.ip, tx);
      return rotated;
    });
    // Issue 13: the browser becomes a known device (new-device notice; smart lockout).
    const device = await rememberLoginDevice(core, societyId, memberId, client);
    return { step, renewed, deviceToken: device.token };
  }
  if (!proof) return { step, renewed: null };
  const renewed = await rotateSessionInStore(core, core.db.store, session.id, { expectTokenHash: session.tokenHash, memberId, state: { ...rest, stage: 'login', progress }, authenticated: true });
  return { step, renewed };
}
