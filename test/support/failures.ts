import { guardedAttempt } from '../../src/core/auth/guarded-attempt.js';
import { memberSubject } from '../../src/core/auth/throttle-store.js';
import type { TestCore } from './core.js';

/**
 * `n` failed attempts on a member's counter through the same guarded path every step uses (the
 * reservation, then a failed check), without argon2 work. An attempt refused by the back-off
 * waits it out on the test clock, as a patient attacker would, and is then counted.
 */
export async function failAttempts(t: TestCore, memberId: number, n: number, action = 'login.password', societyId = t.society.id): Promise<void> {
  for (let i = 0; i < n; i++) {
    const refusedFor = await guardedAttempt(
      t.core,
      { societyId, subject: memberSubject(memberId), action, actor: { type: 'anonymous', ip: null }, member: { id: memberId, userId: '' }, failureCode: 'INVALID_CREDENTIALS' },
      async () => ({ ok: false, reason: 'test' }),
      async () => ({ ok: true }),
    ).then(
      () => 0,
      (err: { code?: string; details?: { retryAfterSeconds?: number } }) => {
        if (err.code === 'LOGIN_THROTTLED') return err.details!.retryAfterSeconds!;
        if (err.code !== 'INVALID_CREDENTIALS' && err.code !== 'ACCOUNT_LOCKED') throw err;
        return 0;
      },
    );
    if (refusedFor > 0) {
      t.clock.advanceSeconds(refusedFor);
      i--;
    }
  }
}
