import { defineEntity, p } from '@mikro-orm/core';
import { Session } from './session.entity.js';

/**
 * The WebAuthn challenge a session's ceremony waits on (WebAuthn L3 §13.4.3: single use,
 * short-lived). One per session; taken by one atomic DELETE … RETURNING, so of two requests
 * carrying the same answer only one can ever verify it.
 */
export const WebauthnChallenge = defineEntity({
  name: 'WebauthnChallenge',
  tableName: 'webauthn_challenge',
  properties: {
    id: p.integer().primary(),
    session: () => p.oneToOne(Session).owner().unique().deleteRule('cascade'),
    kind: p.string().length(16).$type<'registration' | 'authentication'>(),
    challenge: p.string().length(128),
    expiresAt: p.datetime(),
  },
});
export type WebauthnChallengeRow = InstanceType<typeof WebauthnChallenge.class>;
