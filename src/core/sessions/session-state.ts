import type { LoginProgress } from '../auth/login-progress.js';

/** What a portal session remembers between requests (stored as JSON in the session row). */
export interface SessionState {
  /**
   * Where the session is: `anonymous` (only a CSRF token, e.g. the login form), `login` (the
   * password was accepted; the steps of `nextLoginStep` are running), `authenticated` (the member
   * reached the top page).
   */
  stage?: 'anonymous' | 'login' | 'authenticated';
  /** Per-session CSRF token (ASVS 3.5.1): sent in every form, renewed with the session token. */
  csrf?: string;
  /** What this session has proven during the login (birth date, second factor). */
  progress?: LoginProgress;
  /** `ログイン状態の保存` was ticked: the session becomes persistent once the login completes. */
  rememberMe?: boolean;
  /** TOTP secret being set up (encrypted), until the first code confirms it. */
  pendingTotp?: { secretEnc: string; createdAt: string };
  /**
   * A passkey whose registration ceremony was verified, kept until the member labels it
   * (認証ラベルの登録); only public data (credential id, public key, counter, transports).
   */
  pendingPasskey?: { passkey: { credentialId: string; publicKey: string; counter: number; transports: string[] }; createdAt: string };
  /**
   * A re-authentication in progress (§2.9): where to go back to, and when the password was
   * accepted (the second factor comes next). Cleared when it completes.
   */
  reauth?: { returnTo: string; passwordVerifiedAt?: string };
  /** Flash message for the next page, and whether it reports a problem or a success. */
  flash?: string;
  flashKind?: 'error' | 'info';
}
