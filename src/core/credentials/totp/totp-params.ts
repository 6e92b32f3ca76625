/**
 * The one TOTP profile KOSMO issues (DESIGN §4, SCREENS §2.6): HMAC-SHA-1, 6 digits, 30-second
 * time step, ±1 step of clock drift. These are RFC 6238's defaults (§4, §5.2) and the only
 * combination that Google Authenticator, Microsoft Authenticator and FreeOTP all honour from an
 * otpauth URI, so they are constants, not settings.
 */
export const TOTP_PARAMS = Object.freeze({
  algorithm: 'SHA1',
  digits: 6,
  /** X in RFC 6238 §4.1, seconds. */
  period: 30,
  /** Steps accepted either side of the current one (RFC 6238 §5.2 recommends at most one). */
  window: 1,
} as const);

/** RFC 4226 §4 R6: 160 bits is the recommended shared-secret length (and RFC 6238 §3 R3). */
export const TOTP_SECRET_BYTES = 20;
