import { decodeTotpKey } from './decode-totp-key.js';
import { hotpCode } from './hotp-code.js';
import { totpStep } from './totp-step.js';

/** The 6-digit code an authenticator app shows at `at` for this secret (RFC 6238 §4.2). */
export function totpCodeAt(secret: string, at: Date): string {
  return hotpCode(decodeTotpKey(secret), totpStep(at));
}
