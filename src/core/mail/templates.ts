/**
 * The mail templates of templates/mail and the variables each one needs. A template is three files:
 * `<name>.subject.njk` (one line), `<name>.text.njk` and `<name>.html.njk`.
 *
 * Every template also receives the common variables below; `enqueueMail` fills them from the
 * society row and the injected clock unless the caller passes its own.
 */
export interface CommonMailVars {
  /** The society's display name, used in the subject and the signature. Default: society.name. */
  societyName?: string;
  /** Contact line of the signature. Default: society.settings.contact. */
  contact?: string;
  /** The portal's address, linked from notices. Default: society.settings.publicUrl. */
  portalUrl?: string | null;
  /** When the event happened, Japanese time. Default: the clock at enqueue time. */
  occurredAt?: string;
}

export interface MailTemplateVars {
  /** Carries the reset link (the one secret of this mail). */
  'password-reset': { memberName: string; resetUrl: string; minutes?: number };
  /** Carries the user ID. */
  'user-id-reminder': { memberName: string; userId: string };
  /** Carries the provisional user ID and password. */
  'provisional-credentials': { memberName: string; userId: string; password: string; portalUrl: string; expiresOn: string };
  'password-changed': { memberName?: string };
  'factor-added': { memberName?: string; factorName: string };
  'factor-removed': { memberName?: string; factorName: string };
  'account-locked': { memberName?: string };
  /** Sent to the old address; the new one only masked. */
  'email-changed': { memberName?: string; newAddressMasked: string };
  'devices-removed-by-staff': { memberName?: string };
  /** A login completed in a browser not seen before for the member (issue 13). */
  'new-device': { memberName?: string; browser: string; ip: string };
  /** A new set of recovery codes was made (the codes themselves are never mailed). */
  'recovery-codes-created': { memberName?: string; count: string };
  /** A recovery code stood in for the second factor at a login. */
  'recovery-code-used': { memberName?: string; remaining: string };
}

export type MailTemplateName = keyof MailTemplateVars;

interface TemplateSpec {
  /** Variables that must be non-empty strings. */
  required: string[];
  /** Variables filled in when absent. */
  defaults?: Record<string, unknown>;
}

const SPECS: { [K in MailTemplateName]: TemplateSpec } = {
  'password-reset': { required: ['memberName', 'resetUrl'], defaults: { minutes: 5 } },
  'user-id-reminder': { required: ['memberName', 'userId'] },
  'provisional-credentials': { required: ['memberName', 'userId', 'password', 'portalUrl', 'expiresOn'] },
  'password-changed': { required: [] },
  'factor-added': { required: ['factorName'] },
  'factor-removed': { required: ['factorName'] },
  'account-locked': { required: [] },
  'email-changed': { required: ['newAddressMasked'] },
  'devices-removed-by-staff': { required: [] },
  'new-device': { required: ['browser', 'ip'] },
  'recovery-codes-created': { required: ['count'] },
  'recovery-code-used': { required: ['remaining'] },
};

export const MAIL_TEMPLATES = Object.keys(SPECS) as MailTemplateName[];

export function isMailTemplateName(name: string): name is MailTemplateName {
  return Object.hasOwn(SPECS, name);
}

/**
 * Checks a template's variables and fills its defaults. Missing or malformed variables are
 * programmer errors (TypeError), never member input problems.
 */
export function prepareVars(template: MailTemplateName, vars: Record<string, unknown>): Record<string, unknown> {
  const spec = SPECS[template];
  if (!spec) throw new TypeError(`unknown mail template: ${String(template)}`);
  const out: Record<string, unknown> = { ...spec.defaults, ...stripUndefined(vars) };
  for (const key of spec.required) {
    const v = out[key];
    if (typeof v !== 'string' || v.trim() === '') throw new TypeError(`mail template ${template}: variable ${key} is required`);
  }
  for (const [key, v] of Object.entries(out)) {
    // Links go into href attributes: only http(s), never javascript: or data:.
    if (/Url$/.test(key) && v !== null && v !== undefined && (typeof v !== 'string' || !/^https?:\/\//i.test(v))) {
      throw new TypeError(`mail template ${template}: variable ${key} must be an http(s) URL`);
    }
  }
  return out;
}

function stripUndefined(vars: Record<string, unknown>): Record<string, unknown> {
  return Object.fromEntries(Object.entries(vars).filter(([, v]) => v !== undefined));
}
