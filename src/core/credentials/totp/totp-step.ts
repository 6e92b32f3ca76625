import { TOTP_PARAMS } from './totp-params.js';

/**
 * RFC 6238 §4.2: T = floor((Current Unix time − T0) / X) with T0 = 0 and X = 30 s. This is the
 * number stored per device as the last used step, so replays can be refused (§5.2).
 */
export function totpStep(at: Date): number {
  const ms = at instanceof Date ? at.getTime() : Number.NaN;
  if (!Number.isFinite(ms)) throw new TypeError('totpStep needs a valid Date');
  return Math.floor(ms / 1000 / TOTP_PARAMS.period);
}
