import { normalizeTotpKey } from './normalize-totp-key.js';
import { TOTP_PARAMS } from './totp-params.js';

export interface OtpauthUriInput {
  /** The society's name, shown by the app above the code (e.g. 大和総研健保). */
  issuer: string;
  /** The member's user ID, shown under the issuer. */
  account: string;
  /** Base32 secret; written in canonical form. */
  secret: string;
}

/**
 * The otpauth URI the QR code carries, per Google's Key Uri Format
 * (github.com/google/google-authenticator/wiki/Key-Uri-Format):
 *
 *   otpauth://totp/<issuer>:<account>?secret=…&issuer=…&algorithm=SHA1&digits=6&period=30
 *
 * - Label parts and the issuer parameter are percent-encoded as UTF-8 with encodeURIComponent
 *   (RFC 3986 §2.1): Japanese issuers survive, and a space becomes %20 — not the '+' of
 *   URLSearchParams, which some apps show literally.
 * - The wiki forbids a colon in either part of the label (it separates them), so that is a
 *   TypeError rather than a label an app would split in the wrong place.
 * - The issuer is written both as label prefix and as parameter, as the wiki recommends, and
 *   algorithm/digits/period are written even though they are the defaults, so no app has to
 *   guess. (otplib's generateURI omits defaults and splits the label on ':', hence our own.)
 */
export function buildOtpauthUri({ issuer, account, secret }: OtpauthUriInput): string {
  for (const [name, value] of [
    ['issuer', issuer],
    ['account', account],
  ] as const) {
    if (typeof value !== 'string' || value.trim() === '') throw new TypeError(`otpauth ${name} must be a non-empty string`);
    if (value.includes(':')) throw new TypeError(`otpauth ${name} must not contain ':' (Key Uri Format)`);
  }
  const label = `${encodeURIComponent(issuer)}:${encodeURIComponent(account)}`;
  const query = [
    `secret=${normalizeTotpKey(secret)}`,
    `issuer=${encodeURIComponent(issuer)}`,
    `algorithm=${TOTP_PARAMS.algorithm}`,
    `digits=${TOTP_PARAMS.digits}`,
    `period=${TOTP_PARAMS.period}`,
  ].join('&');
  return `otpauth://totp/${label}?${query}`;
}
