import { oidcClientMetadata, oidcStorage, type CoreContext, type OidcPayload } from '../../core/index.js';

/** oidc-provider's error for an invalid grant (the provider answers `invalid_grant`). */
type InvalidGrantError = new (description?: string) => Error;

/**
 * oidc-provider's adapter interface (one instance per model name) on the core's storage: the
 * provider's sessions, interactions, grants, codes and tokens live in the database, so every
 * `kosmo serve` on it serves the same flows. Clients come from the staff registry (`kosmo client`).
 */
export function adapterFactory(core: CoreContext, societyId: number, InvalidGrant: InvalidGrantError) {
  return class KosmoOidcAdapter {
    private readonly name: string;
    private readonly storage;
    constructor(name: string) {
      this.name = name;
      this.storage = oidcStorage(core, societyId, name);
    }
    async upsert(id: string, payload: OidcPayload, expiresIn?: number): Promise<void> {
      if (this.name === 'Client') throw new TypeError('clients are registered with `kosmo client add`');
      await this.storage.upsert(id, payload, expiresIn);
    }
    async find(id: string): Promise<OidcPayload | undefined> {
      if (this.name === 'Client') return (await oidcClientMetadata(core, societyId, id)) ?? undefined;
      return this.storage.find(id);
    }
    async findByUid(uid: string): Promise<OidcPayload | undefined> {
      return this.storage.findByUid(uid);
    }
    async findByUserCode(userCode: string): Promise<OidcPayload | undefined> {
      return this.storage.findByUserCode(userCode);
    }
    /**
     * A code is redeemed once (RFC 6749 §4.1.2, RFC 9700 §4.2.1): the core's conditional UPDATE
     * lets exactly one of two racing redemptions through, even on two instances; the other is
     * refused and what the code issued is revoked.
     */
    async consume(id: string): Promise<void> {
      if (await this.storage.consume(id)) return;
      const payload = await this.storage.find(id);
      if (typeof payload?.grantId === 'string') await this.storage.revokeByGrantId(payload.grantId);
      throw new InvalidGrant('authorization code already consumed');
    }
    async destroy(id: string): Promise<void> {
      await this.storage.destroy(id);
    }
    async revokeByGrantId(grantId: string): Promise<void> {
      await this.storage.revokeByGrantId(grantId);
    }
  };
}
