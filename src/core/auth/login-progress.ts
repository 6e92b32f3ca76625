/** What this session has proven so far (kept in the session, never in the member row). */
export interface LoginProgress {
  birthDateVerified?: boolean;
  secondFactorVerified?: boolean;
  /** The session came from a password-reset link (§2.10): a new password is required before the top page. */
  recovery?: boolean;
  /** In recovery, the member said the device of this kind is lost (FAQ Q14): birth date, then a new one. */
  lostDevice?: 'otp' | 'passkey';
  /** In the lost-device path, a recovery code was given (society setting `recoveryCodes.lostDevice: require`). */
  recoveryCodeVerified?: boolean;
  /** In recovery, the new password was set. */
  passwordReset?: boolean;
  /** The second factor last proven (login or re-authentication): the `amr` of single sign-on (RFC 8176). */
  secondFactor?: 'otp' | 'passkey';
}
