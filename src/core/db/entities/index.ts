export * from './society.entity.js';
export * from './member.entity.js';
export * from './password-credential.entity.js';
export * from './totp-device.entity.js';
export * from './passkey.entity.js';
export * from './session.entity.js';
export * from './one-time-token.entity.js';
export * from './terms.entity.js';
export * from './audit-event.entity.js';
export * from './login-throttle.entity.js';
export * from './webauthn-challenge.entity.js';
export * from './rate-limit.entity.js';
export * from './mail-message.entity.js';
export * from './known-device.entity.js';
export * from './recovery-code.entity.js';

import { Society } from './society.entity.js';
import { Member } from './member.entity.js';
import { PasswordCredential } from './password-credential.entity.js';
import { TotpDevice } from './totp-device.entity.js';
import { Passkey } from './passkey.entity.js';
import { Session } from './session.entity.js';
import { OneTimeToken } from './one-time-token.entity.js';
import { TermsVersion, TermsAcceptance } from './terms.entity.js';
import { AuditEvent } from './audit-event.entity.js';
import { LoginThrottle } from './login-throttle.entity.js';
import { WebauthnChallenge } from './webauthn-challenge.entity.js';
import { RateLimit } from './rate-limit.entity.js';
import { MailMessage } from './mail-message.entity.js';
import { KnownDevice } from './known-device.entity.js';
import { RecoveryCode } from './recovery-code.entity.js';

export const allEntities = [
  Society,
  Member,
  PasswordCredential,
  TotpDevice,
  Passkey,
  Session,
  OneTimeToken,
  TermsVersion,
  TermsAcceptance,
  AuditEvent,
  LoginThrottle,
  MailMessage,
  WebauthnChallenge,
  RateLimit,
  KnownDevice,
  RecoveryCode,
];
