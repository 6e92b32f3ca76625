import { describe, it, expect, beforeAll, afterAll } from 'vitest';
import { testDatabases } from '../support/databases.js';
import { ensureBuilt } from '../support/cli.js';
import { cliDatabase, expectOk, type CliDatabase } from './import-fixtures.js';

/** Every value of every row of a table, as text: a secret must not appear in any of them. */
async function tableText(c: CliDatabase, table: string): Promise<string> {
  const core = await c.core();
  return JSON.stringify(await core.db.store.all(`SELECT * FROM ${table}`));
}

describe.each(testDatabases)('kosmo client / kosmo keys (single sign-on) on $name', (database) => {
  let c: CliDatabase;
  beforeAll(async () => {
    ensureBuilt();
    c = await cliDatabase(database);
    expectOk(await c.kosmo(['init']));
  }, 180_000);
  afterAll(async () => c.cleanup());

  it('kosmo init made one current ES256 signing key, sealed: `keys list` shows ids and dates only', async () => {
    const r = expectOk(await c.kosmo(['keys', 'list', '--json']));
    expect(r.json.keys).toHaveLength(1);
    expect(r.json.keys[0]).toMatchObject({ alg: 'ES256', use: 'sig', retiredAt: null });
    expect(JSON.stringify(r.json)).not.toMatch(/"d"|private/);
    const stored = await tableText(c, 'oidc_key');
    // The private scalar is never stored in the clear: only the public JWK and a v1.… sealed blob.
    expect(stored).toContain('v1.');
    expect(stored).not.toMatch(/\\"d\\":/);
  });

  it('client add prints clientId and the secret once; list/show never print it; it is stored sealed', async () => {
    const add = expectOk(
      await c.kosmo([
        'client',
        'add',
        '--name',
        '医療費のお知らせ',
        '--redirect-uri',
        'https://iryohi.example.jp/cb',
        '--redirect-uri',
        'http://127.0.0.1:8080/cb',
        '--post-logout-redirect-uri',
        'https://iryohi.example.jp/',
        '--json',
      ]),
    );
    const { clientId, clientSecret } = add.json as { clientId: string; clientSecret: string };
    expect(clientId).toMatch(/^kosmo-[A-Za-z0-9_-]{16}$/);
    expect(clientSecret).toMatch(/^[A-Za-z0-9_-]{43}$/);
    expect(add.json).toMatchObject({ name: '医療費のお知らせ', firstParty: false, public: false, redirectUris: ['https://iryohi.example.jp/cb', 'http://127.0.0.1:8080/cb'] });

    const human = expectOk(await c.kosmo(['client', 'add', '--name', '健診予約', '--redirect-uri', 'https://kenshin.example.jp/cb', '--first-party', '--public']));
    expect(human.stdout).toMatch(/clientId: kosmo-/);
    expect(human.stdout).not.toMatch(/clientSecret/);

    const list = expectOk(await c.kosmo(['client', 'list', '--json']));
    expect(list.json.clients.map((x: { name: string }) => x.name)).toEqual(['医療費のお知らせ', '健診予約']);
    expect(list.stdout).not.toContain(clientSecret);
    const show = expectOk(await c.kosmo(['client', 'show', clientId]));
    expect(show.stdout).toContain('https://iryohi.example.jp/cb');
    expect(show.stdout).not.toContain(clientSecret);
    expect(await tableText(c, 'oidc_client')).not.toContain(clientSecret);
    expect(await tableText(c, 'audit_event')).not.toContain(clientSecret);

    const rotated = expectOk(await c.kosmo(['client', 'rotate-secret', clientId, '--json']));
    expect(rotated.json.clientSecret).toMatch(/^[A-Za-z0-9_-]{43}$/);
    expect(rotated.json.clientSecret).not.toBe(clientSecret);

    const audit = expectOk(await c.kosmo(['audit', '--action', 'oidc.client.add', '--json']));
    expect(JSON.stringify(audit.json)).toContain(clientId);

    expectOk(await c.kosmo(['client', 'remove', clientId]));
    const gone = await c.kosmo(['client', 'show', clientId, '--json']);
    expect(gone.code).toBe(3);
    expect(gone.json.error.code).toBe('CLIENT_NOT_FOUND');
  });

  it('refuses redirect URIs that are not exact https (or loopback http) URLs: exit 2', async () => {
    for (const bad of ['http://evil.example.jp/cb', 'https://x.example.jp/cb#frag', 'javascript:alert(1)', 'not a url']) {
      const r = await c.kosmo(['client', 'add', '--name', 'X', '--redirect-uri', bad, '--json']);
      expect(r.code, bad).toBe(2);
      expect(r.json.error.code).toBe('INPUT_INVALID');
    }
    const none = await c.kosmo(['client', 'add', '--name', 'X', '--json']);
    expect(none.code).not.toBe(0);
  });

  it('a public client has no secret to rotate: exit 4', async () => {
    const add = expectOk(await c.kosmo(['client', 'add', '--name', 'アプリ', '--redirect-uri', 'https://app.example.jp/cb', '--public', '--json']));
    expect(add.json.clientSecret).toBeUndefined();
    const r = await c.kosmo(['client', 'rotate-secret', add.json.clientId, '--json']);
    expect(r.code).toBe(4);
    expect(r.json.error.code).toBe('CLIENT_PUBLIC');
  });

  it('keys rotate: a new current key, the old one kept (retired) for verification, audited', async () => {
    const before = expectOk(await c.kosmo(['keys', 'list', '--json'])).json.keys as { kid: string }[];
    const r = expectOk(await c.kosmo(['keys', 'rotate', '--json']));
    expect(r.json.retired).toEqual([before[0]!.kid]);
    const after = expectOk(await c.kosmo(['keys', 'list', '--json'])).json.keys as { kid: string; retiredAt: string | null }[];
    expect(after).toHaveLength(2);
    expect(after.find((k) => k.kid === before[0]!.kid)!.retiredAt).not.toBeNull();
    expect(after.find((k) => k.kid === r.json.kid)!.retiredAt).toBeNull();
    const audit = expectOk(await c.kosmo(['audit', '--action', 'oidc.keys.rotate', '--json']));
    expect(JSON.stringify(audit.json)).toContain(r.json.kid);
  });

  it('kosmo migrate gives a society without keys its keys', async () => {
    const core = await c.core();
    await core.db.store.run(`DELETE FROM oidc_key`);
    expectOk(await c.kosmo(['migrate']));
    const r = expectOk(await c.kosmo(['keys', 'list', '--json']));
    expect(r.json.keys).toHaveLength(1);
  });
});
