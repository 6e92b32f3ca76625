/** What a portal session remembers between requests (stored as JSON in the session row). */
export interface SessionState {
  /** Where the member is in the login: password accepted, second factor pending, etc. */
  stage?: 'anonymous' | 'onboarding' | 'second_factor' | 'terms' | 'authenticated' | 'reauth' | 'recovery';
  /** WebAuthn challenge awaiting an answer (single use, short-lived). */
  webauthn?: { challenge: string; kind: 'registration' | 'authentication'; expiresAt: string };
  /** TOTP secret being set up (encrypted), until the first code confirms it. */
  pendingTotp?: { secretEnc: string; createdAt: string };
  /** The page to continue with after a re-authentication. */
  returnTo?: string;
  /** Flash message for the next page. */
  flash?: string;
  [key: string]: unknown;
}
