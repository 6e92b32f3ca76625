import { z } from 'zod';

/** Printable ASCII (0x21–0x7E), the manual's default allowed set for passwords (2-1 ⑧, FAQ Q7). */
export const PRINTABLE_ASCII = Array.from({ length: 0x7e - 0x20 }, (_, i) => String.fromCharCode(0x21 + i)).join('');

const menuItem = z.object({
  title: z.string().min(1).max(100),
  url: z.string().min(1).max(500),
  description: z.string().max(300).default(''),
  /**
   * A single sign-on client (`kosmo client add`): the link then starts the sign-in at that service
   * — `url` is the service's login-initiation URI and the portal adds `iss` (OIDC Core §4).
   */
  clientId: z.string().min(1).max(64).optional(),
});
const faqItem = z.object({ q: z.string().min(1).max(500), a: z.string().min(1).max(4000) });

/**
 * A society's settings. Every number that the manual leaves to "each society's guidance" lives here,
 * with the defaults DESIGN.md §4 decided.
 */
export const societySettingsSchema = z.object({
  hostNames: z.array(z.string().min(1).max(253)).default([]),
  publicUrl: z.string().url().nullable().default(null),
  mailFrom: z.string().max(255).default('no-reply@localhost'),
  contact: z.string().max(500).default(''),
  password: z
    .object({
      minLength: z.number().int().min(8).max(64).default(8),
      maxLength: z.number().int().min(8).max(64).default(64),
      allowedChars: z.string().min(10).default(PRINTABLE_ASCII),
    })
    .default({ minLength: 8, maxLength: 64, allowedChars: PRINTABLE_ASCII }),
  lockout: z
    .object({
      /** From this many consecutive failures on, each further attempt waits (growing back-off). */
      backoffFrom: z.number().int().min(1).max(100).default(5),
      /** First back-off in seconds; doubles with each further failure, capped at maxDelaySeconds. */
      baseDelaySeconds: z.number().int().min(1).max(3600).default(30),
      maxDelaySeconds: z.number().int().min(1).max(86400).default(900),
      /** At this many failures the account is locked until staff unlock it (NIST 800-63B: ≤ 100). */
      lockAt: z.number().int().min(2).max(100).default(20),
      /**
       * Smart lockout (docs/member-security.md): failures of one client (its device cookie, else
       * its address) at one account. From this many on, that client waits the same growing
       * back-off — and a browser that once completed a login for the member (a known device)
       * waits only for its own failures, never for the account's.
       */
      clientBackoffFrom: z.number().int().min(1).max(100).default(5),
      /**
       * At this many failures one client may not try that account again (until staff unlock it).
       * Below `lockAt`, so no single client can lock the member out; only many clients together
       * reach the account-wide lock, which still ends a distributed attack.
       */
      clientLockAt: z.number().int().min(1).max(100).default(10),
    })
    .default({ backoffFrom: 5, baseDelaySeconds: 30, maxDelaySeconds: 900, lockAt: 20, clientBackoffFrom: 5, clientLockAt: 10 }),
  /** Mail the member when a login completes in a browser not seen before for them (issue 13). */
  newDeviceNotice: z.boolean().default(true),
  /**
   * The login page offers the member's passkeys among the user-ID field's suggestions (conditional
   * mediation); one picked signs in alone (issue 13). The ID + password path stays as it is.
   */
  passkeyFirst: z.boolean().default(true),
  recoveryCodes: z
    .object({
      /**
       * The lost-device path of a password reset (スマートデバイスを紛失した場合: reset link in the
       * mailbox + birth date): `off` as before; `accept` also lets the reset's second-factor step
       * take a recovery code; `require` besides asks the lost-device path for a recovery code
       * after the birth date, before the new factor (issue 13).
       */
      lostDevice: z.enum(['off', 'accept', 'require']).default('off'),
    })
    .default({ lostDevice: 'off' }),
  allowedFactors: z
    .array(z.enum(['passkey', 'otp']))
    .min(1)
    .default(['passkey', 'otp']),
  provisionalExpiryDays: z.number().int().min(1).max(3650).default(90),
  serviceMenu: z.array(menuItem).default([]),
  faq: z.array(faqItem).nullable().default(null),
});
export type SocietySettings = z.infer<typeof societySettingsSchema>;

export function defaultSettings(): SocietySettings {
  return societySettingsSchema.parse({});
}
