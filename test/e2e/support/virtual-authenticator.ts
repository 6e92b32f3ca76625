import type { CDPSession, Page } from 'playwright-core';

/** A credential held by the virtual authenticator, as the DevTools WebAuthn domain reports it. */
export interface VirtualCredential {
  /** base64 (standard alphabet, padded) of the credential id. */
  credentialId: string;
  isResidentCredential: boolean;
  rpId?: string;
  /** base64 PKCS#8 of the P-256 private key: lets a test sign an assertion itself. */
  privateKey: string;
  /** base64 user handle. */
  userHandle?: string;
  /** Signature counter; Chromium increments it by one per assertion. */
  signCount: number;
}

export interface VirtualAuthenticatorOptions {
  /** Whether user verification (biometric/PIN) succeeds. Default true. */
  isUserVerified?: boolean;
  /** Whether the authenticator can verify the user at all. Default true. */
  hasUserVerification?: boolean;
}

export interface VirtualAuthenticator {
  authenticatorId: string;
  /** The CDP session the authenticator lives in; it is gone when the page closes. */
  session: CDPSession;
  getCredentials(): Promise<VirtualCredential[]>;
  /** WebAuthn.setUserVerified: make later ceremonies pass or fail user verification. */
  setUserVerified(isUserVerified: boolean): Promise<void>;
  remove(): Promise<void>;
}

/**
 * Attaches a Chrome DevTools Protocol virtual authenticator to `page` (DESIGN §5): a CTAP2
 * platform authenticator ("internal" transport, like Touch ID / Windows Hello) with resident
 * keys and user verification, whose user-presence test passes automatically. The page must be a
 * secure context for WebAuthn (https, or http://localhost).
 */
export async function addVirtualAuthenticator(page: Page, options: VirtualAuthenticatorOptions = {}): Promise<VirtualAuthenticator> {
  const session = await page.context().newCDPSession(page);
  await session.send('WebAuthn.enable');
  const { authenticatorId } = await session.send('WebAuthn.addVirtualAuthenticator', {
    options: {
      protocol: 'ctap2',
      transport: 'internal',
      hasResidentKey: true,
      hasUserVerification: options.hasUserVerification ?? true,
      isUserVerified: options.isUserVerified ?? true,
      automaticPresenceSimulation: true,
    },
  });
  return {
    authenticatorId,
    session,
    async getCredentials() {
      const { credentials } = await session.send('WebAuthn.getCredentials', { authenticatorId });
      return credentials as VirtualCredential[];
    },
    async setUserVerified(isUserVerified: boolean) {
      await session.send('WebAuthn.setUserVerified', { authenticatorId, isUserVerified });
    },
    async remove() {
      await session.send('WebAuthn.removeVirtualAuthenticator', { authenticatorId });
    },
  };
}
