/** Where the OpenID Provider answers: discovery at the root (OIDC Discovery §4), everything else under /oidc. */
export const OIDC_PREFIX = '/oidc';
export const DISCOVERY_PATH = '/.well-known/openid-configuration';
export const INTERACTION_PREFIX = `${OIDC_PREFIX}/interaction`;

export function interactionPath(uid: string): string {
  return `${INTERACTION_PREFIX}/${uid}`;
}

/** A path the provider itself answers (not the portal's interaction pages). */
export function isProviderPath(path: string): boolean {
  if (path === DISCOVERY_PATH) return true;
  return path.startsWith(`${OIDC_PREFIX}/`) && !path.startsWith(`${INTERACTION_PREFIX}/`) && !path.startsWith(`${OIDC_PREFIX}/start/`);
}

/** An interaction id as oidc-provider makes them (nanoid, base64url alphabet). */
export const INTERACTION_UID = /^[A-Za-z0-9_-]{1,64}$/;
