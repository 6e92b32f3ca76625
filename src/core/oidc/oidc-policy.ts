/**
 * The OpenID Provider's numbers (docs/sso.md). Lifetimes are short on purpose: a service keeps
 * its own session after the sign-in; refresh tokens are off (issue 14).
 */
export const OIDC_TTL = {
  /** RFC 6749 §4.1.2: "A maximum authorization code lifetime of 10 minutes is RECOMMENDED"; one minute is plenty. */
  authorizationCodeSeconds: 60,
  idTokenSeconds: 60 * 60,
  accessTokenSeconds: 10 * 60,
  /** A first login (birth date, terms, user ID, password, email, second factor) runs inside one interaction. */
  interactionSeconds: 30 * 60,
  /** The provider's own session never outlives the portal's absolute session limit (12 h, DESIGN.md §4). */
  sessionSeconds: 12 * 60 * 60,
  grantSeconds: 12 * 60 * 60,
} as const;

/** Clock skew accepted between two instances or a relying party (oidc-provider's default). */
export const OIDC_CLOCK_TOLERANCE_SECONDS = 15;

/**
 * A retired signing key stays in the JWKS this long after `kosmo keys rotate`: every ID token or
 * access token it signed has expired by then (the longest lifetime plus the clock tolerance).
 */
export const RETIRED_KEY_KEEP_MS = (Math.max(OIDC_TTL.idTokenSeconds, OIDC_TTL.accessTokenSeconds) + OIDC_CLOCK_TOLERANCE_SECONDS) * 1000;

/**
 * Authentication Context Class References (OIDC Core §2 `acr`): a password plus a one-time password
 * (multi-factor), or a password plus a passkey with user verification (multi-factor, and
 * phishing-resistant: the credential is bound to this origin, WebAuthn L3 §13.4.9).
 */
export const ACR_MFA = 'urn:kosmo:acr:mfa';
export const ACR_PHISHING_RESISTANT = 'urn:kosmo:acr:phr';
export const ACR_VALUES = [ACR_MFA, ACR_PHISHING_RESISTANT] as const;

export type SecondFactorKind = 'otp' | 'passkey';

/**
 * `amr` values of RFC 8176 §2 for how the member signed in: always `pwd` (the password step),
 * then `otp` (RFC 6238 one-time password) or, for a passkey, `hwk` (proof of possession of a
 * hardware-secured key) and `user` (user presence/verification test); `mfa` since two factors
 * were used. Unknown second factor (should not happen after a completed login): `pwd` only.
 */
export function amrFor(secondFactor: SecondFactorKind | null | undefined): string[] {
  if (secondFactor === 'otp') return ['pwd', 'otp', 'mfa'];
  if (secondFactor === 'passkey') return ['pwd', 'hwk', 'user', 'mfa'];
  return ['pwd'];
}

export function acrFor(secondFactor: SecondFactorKind | null | undefined): string {
  return secondFactor === 'passkey' ? ACR_PHISHING_RESISTANT : ACR_MFA;
}
