/** TOTP (RFC 6238) second factor: pure functions, no database. See DESIGN §4 and SCREENS §2.6. */
export { TOTP_PARAMS } from './totp-params.js';
export { generateTotpSecret } from './generate-totp-secret.js';
export { normalizeTotpKey } from './normalize-totp-key.js';
export { formatTotpKey } from './format-totp-key.js';
export { totpStep } from './totp-step.js';
export { totpCodeAt } from './totp-code-at.js';
export { verifyTotpCode, type VerifyTotpCodeInput, type VerifyTotpCodeResult } from './verify-totp-code.js';
export { buildOtpauthUri, type OtpauthUriInput } from './build-otpauth-uri.js';
export { totpQrSvg } from './totp-qr-svg.js';
