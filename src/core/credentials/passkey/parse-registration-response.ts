import { z } from 'zod';
import type { RegistrationResponseJSON } from '@simplewebauthn/server';
import { attestationObjectField, clientDataJSONField, credentialEnvelope, transportsField } from './response-fields.js';
import { sanitizeTransports } from './sanitize-transports.js';

const schema = credentialEnvelope(
  z.object({
    clientDataJSON: clientDataJSONField,
    attestationObject: attestationObjectField,
    transports: transportsField,
  }),
);

/**
 * Rebuilds a RegistrationResponseJSON from only the fields verification reads, or null when the
 * input is not one. `id` must equal `rawId`: in the JSON encoding both are base64url of the same
 * bytes (L3 §5.1 `toJSON()`).
 */
export function parseRegistrationResponse(input: unknown): RegistrationResponseJSON | null {
  const parsed = schema.safeParse(input);
  if (!parsed.success) return null;
  const { id, rawId, response } = parsed.data;
  return {
    id,
    rawId,
    type: 'public-key',
    response: {
      clientDataJSON: response.clientDataJSON,
      attestationObject: response.attestationObject,
      transports: sanitizeTransports(response.transports),
    },
    clientExtensionResults: {},
  };
}
