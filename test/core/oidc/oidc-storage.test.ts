import { describe, it, expect, beforeAll, afterAll } from 'vitest';
import { testDatabases } from '../../support/databases.js';
import { createTestCore, openPeerCore, STAFF, type TestCore } from '../../support/core.js';
import type { CoreContext } from '../../../src/core/context.js';
import { oidcStorage, purgeExpiredOidcState } from '../../../src/core/oidc/oidc-storage.js';
import { oidcSubjectFor, oidcAccount } from '../../../src/core/oidc/oidc-subject.js';
import { ensureOidcKeys, oidcKeyMaterial, rotateOidcKeys } from '../../../src/core/oidc/oidc-keys.js';
import { RETIRED_KEY_KEEP_MS } from '../../../src/core/oidc/oidc-policy.js';
import { issueMember } from '../../../src/core/accounts/issue-member.js';
import { Member } from '../../../src/core/db/entities/index.js';
import { addOidcClient, oidcClientMetadata, rotateOidcClientSecret } from '../../../src/core/oidc/oidc-clients.js';
import { createSociety } from '../../../src/core/society/create-society.js';

describe.each(testDatabases)('single sign-on state in the core on $name', (database) => {
  let t: TestCore;
  let peer: CoreContext;
  beforeAll(async () => {
    t = await createTestCore(database);
    peer = await openPeerCore(t);
  });
  afterAll(async () => {
    await peer.db.close();
    await t.close();
  });

  it('a code is consumed once, even by two cores (two processes) racing on one database', async () => {
    const a = oidcStorage(t.core, t.society.id, 'AuthorizationCode');
    const b = oidcStorage(peer, t.society.id, 'AuthorizationCode');
    for (let i = 0; i < 5; i++) {
      await a.upsert(`code-${i}`, { jti: `code-${i}`, grantId: `g-${i}`, kind: 'AuthorizationCode' }, 60);
      const results = await Promise.all([a.consume(`code-${i}`), b.consume(`code-${i}`), a.consume(`code-${i}`), b.consume(`code-${i}`)]);
      expect(results.filter(Boolean)).toHaveLength(1);
      expect((await b.find(`code-${i}`))!.consumed).toEqual(expect.any(Number));
    }
  });

  it('finds by uid and grant, forgets what expired, revokes a whole grant, is scoped by society and kind', async () => {
    const sessions = oidcStorage(t.core, t.society.id, 'Session');
    await sessions.upsert('s1', { uid: 'u1', accountId: 'x' }, 600);
    expect(await sessions.findByUid('u1')).toMatchObject({ accountId: 'x' });
    expect(await oidcStorage(t.core, t.society.id + 1, 'Session').find('s1')).toBeUndefined();
    expect(await oidcStorage(t.core, t.society.id, 'Grant').find('s1')).toBeUndefined();

    const tokens = oidcStorage(t.core, t.society.id, 'AccessToken');
    await tokens.upsert('t1', { grantId: 'G' }, 600);
    await oidcStorage(t.core, t.society.id, 'AuthorizationCode').upsert('c1', { grantId: 'G' }, 600);
    await tokens.revokeByGrantId('G');
    expect(await tokens.find('t1')).toBeUndefined();
    expect(await oidcStorage(t.core, t.society.id, 'AuthorizationCode').find('c1')).toBeUndefined();

    await tokens.upsert('short', { grantId: 'H' }, 10);
    t.clock.advanceSeconds(11);
    expect(await tokens.find('short')).toBeUndefined();
    expect(await purgeExpiredOidcState(t.core)).toBeGreaterThanOrEqual(1);
  });

  it('sub: opaque, made once per member (two cores at once agree), never the user ID; claims only for an active member', async () => {
    const issued = await issueMember(t.core, STAFF, { societyId: t.society.id, member: { name: '山田 太郎', kana: 'ヤマダ タロウ', birthDate: '1979-08-22', email: 'taro@example.jp' } });
    const id = issued.member.id;
    const [x, y] = await Promise.all([oidcSubjectFor(t.core, t.society.id, id), oidcSubjectFor(peer, t.society.id, id)]);
    expect(x).toBe(y);
    expect(x).toMatch(/^[A-Za-z0-9_-]{22}$/);
    expect(x).not.toContain(issued.userId);
    // A provisional member is not handed to services yet.
    expect(await oidcAccount(t.core, t.society.id, x)).toBeNull();
    const em = t.core.db.em();
    const m = await em.findOneOrFail(Member, { id });
    m.status = 'active';
    await em.flush();
    expect(await oidcAccount(t.core, t.society.id, x)).toEqual({ sub: x, name: '山田 太郎', email: 'taro@example.jp', emailVerified: false });
    m.status = 'disabled';
    await em.flush();
    expect(await oidcAccount(t.core, t.society.id, x)).toBeNull();
  });

  it('keys: sealed with the secret key; a rotation keeps the old key for verification until its tokens expire', async () => {
    await ensureOidcKeys(t.core, [t.society.id]);
    const before = await oidcKeyMaterial(t.core, t.society.id);
    expect(before.signing).toHaveLength(1);
    expect(before.signing[0]).toMatchObject({ kty: 'EC', crv: 'P-256', alg: 'ES256' });
    expect(before.cookieKeys).toHaveLength(1);
    const r = await rotateOidcKeys(t.core, STAFF, { societyId: t.society.id });
    const after = await oidcKeyMaterial(t.core, t.society.id);
    expect(after.signing.map((k) => k.kid)).toEqual([r.kid, before.signing[0]!.kid]);
    expect(after.version).not.toBe(before.version);
    t.clock.advance(RETIRED_KEY_KEEP_MS + 1000);
    expect((await oidcKeyMaterial(t.core, t.society.id)).signing.map((k) => k.kid)).toEqual([r.kid]);
    const raw = JSON.stringify(await t.core.db.store.all('SELECT private_sealed, public_jwk FROM oidc_key'));
    expect(raw).not.toContain(String(before.signing[0]!.d));
  });

  it('clients belong to one society; the provider gets the secret opened, the database holds it sealed', async () => {
    const other = await createSociety(t.core, STAFF, { code: 'other', name: '別健保', portalTitle: '別健保加入者ページ' });
    const c = await addOidcClient(t.core, STAFF, { societyId: t.society.id, name: '医療費のお知らせ', redirectUris: ['https://iryohi.example.jp/cb'] });
    const meta = await oidcClientMetadata(t.core, t.society.id, c.clientId);
    expect(meta).toMatchObject({
      client_id: c.clientId,
      client_secret: c.clientSecret,
      token_endpoint_auth_method: 'client_secret_basic',
      kosmo_first_party: false,
      redirect_uris: ['https://iryohi.example.jp/cb'],
    });
    expect(await oidcClientMetadata(t.core, other.id, c.clientId)).toBeNull();
    const rotated = await rotateOidcClientSecret(t.core, STAFF, { societyId: t.society.id, clientId: c.clientId });
    expect((await oidcClientMetadata(t.core, t.society.id, c.clientId))!.client_secret).toBe(rotated.clientSecret);
    expect(JSON.stringify(await t.core.db.store.all('SELECT * FROM oidc_client'))).not.toContain(rotated.clientSecret);
  });
});
