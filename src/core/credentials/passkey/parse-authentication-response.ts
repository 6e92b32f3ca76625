import { z } from 'zod';
import type { AuthenticationResponseJSON } from '@simplewebauthn/server';
import { authenticatorDataField, clientDataJSONField, credentialEnvelope, signatureField, userHandleField } from './response-fields.js';

const schema = credentialEnvelope(
  z.object({
    clientDataJSON: clientDataJSONField,
    authenticatorData: authenticatorDataField,
    signature: signatureField,
    userHandle: userHandleField,
  }),
);

/**
 * Rebuilds an AuthenticationResponseJSON from only the fields verification reads, or null when
 * the input is not one (`id` must equal `rawId`, L3 §5.1 `toJSON()`).
 */
export function parseAuthenticationResponse(input: unknown): AuthenticationResponseJSON | null {
  const parsed = schema.safeParse(input);
  if (!parsed.success) return null;
  const { id, rawId, response } = parsed.data;
  return {
    id,
    rawId,
    type: 'public-key',
    response: {
      clientDataJSON: response.clientDataJSON,
      authenticatorData: response.authenticatorData,
      signature: response.signature,
      ...(response.userHandle ? { userHandle: response.userHandle } : {}),
    },
    clientExtensionResults: {},
  };
}
