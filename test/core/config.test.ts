import { describe, it, expect, beforeEach, afterEach } from 'vitest';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { loadConfig, requireSecretKey, databaseDialect } from '../../src/core/config.js';
import { KosmoError } from '../../src/core/errors.js';

const HEX_KEY = 'ab'.repeat(32);

function configError(fn: () => unknown): KosmoError {
  try {
    fn();
  } catch (e) {
    expect(e).toBeInstanceOf(KosmoError);
    expect((e as KosmoError).code).toBe('CONFIG_INVALID');
    return e as KosmoError;
  }
  throw new Error('expected CONFIG_INVALID');
}

describe('config', () => {
  let dir: string;
  beforeEach(() => {
    dir = mkdtempSync(join(tmpdir(), 'kosmo-config-'));
  });
  afterEach(() => rmSync(dir, { recursive: true, force: true }));

  it('defaults: ./kosmo-data, a SQLite file inside it, no key, Japanese', () => {
    const c = loadConfig({}, {});
    expect(c.dataDir).toBe(resolve('./kosmo-data'));
    expect(c.databaseUrl).toBe(`sqlite:${join(resolve('./kosmo-data'), 'kosmo.sqlite')}`);
    expect(c.dialect).toBe('sqlite');
    expect(c.secretKey).toBeNull();
    expect(c.secretKeySource).toBe('none');
    expect(c.lang).toBe('ja');
    expect(c.trustProxy).toBe(false);
    expect(c.smtpUrl).toBeNull();
  });

  it('data dir: the flag wins over KOSMO_DATA_DIR', () => {
    expect(loadConfig({}, { KOSMO_DATA_DIR: join(dir, 'env') }).dataDir).toBe(join(dir, 'env'));
    expect(loadConfig({ dataDir: join(dir, 'flag') }, { KOSMO_DATA_DIR: join(dir, 'env') }).dataDir).toBe(join(dir, 'flag'));
  });

  it('database URL: flag > env > file > default', () => {
    writeFileSync(join(dir, 'kosmo.json'), JSON.stringify({ databaseUrl: 'postgres://file/db' }));
    expect(loadConfig({ dataDir: dir }, {}).databaseUrl).toBe('postgres://file/db');
    expect(loadConfig({ dataDir: dir }, {}).dialect).toBe('postgresql');
    expect(loadConfig({ dataDir: dir }, { KOSMO_DATABASE_URL: 'postgresql://env/db' }).databaseUrl).toBe('postgresql://env/db');
    expect(loadConfig({ dataDir: dir, databaseUrl: 'sqlite::memory:' }, { KOSMO_DATABASE_URL: 'postgresql://env/db' }).databaseUrl).toBe('sqlite::memory:');
  });

  it('SMTP URL and trustProxy: env wins over the file', () => {
    writeFileSync(join(dir, 'kosmo.json'), JSON.stringify({ smtpUrl: 'smtp://file:25', trustProxy: true }));
    expect(loadConfig({ dataDir: dir }, {})).toMatchObject({ smtpUrl: 'smtp://file:25', trustProxy: 1 });
    expect(loadConfig({ dataDir: dir }, { KOSMO_SMTP_URL: 'smtps://env:465', KOSMO_TRUST_PROXY: '0' })).toMatchObject({ smtpUrl: 'smtps://env:465', trustProxy: false });
  });

  it('trustProxy: true / 1 is one proxy, N is N proxies, else a list of proxy addresses and CIDR ranges', () => {
    const env = (v: string) => loadConfig({ dataDir: dir }, { KOSMO_TRUST_PROXY: v }).trustProxy;
    expect(env('1')).toBe(1);
    expect(env('true')).toBe(1);
    expect(env('2')).toBe(2);
    expect(env('false')).toBe(false);
    expect(env('10.0.0.1, 10.0.0.0/8,[::1], ::ffff:127.0.0.1, fd00::/8')).toEqual(['10.0.0.1', '10.0.0.0/8', '::1', '127.0.0.1', 'fd00::/8']);
    for (const value of [3, '3', ['10.0.0.1', '192.168.0.0/16'], '10.0.0.1,10.0.0.2']) {
      writeFileSync(join(dir, 'kosmo.json'), JSON.stringify({ trustProxy: value }));
      const expected = typeof value === 'number' ? value : value === '3' ? 3 : Array.isArray(value) ? value : ['10.0.0.1', '10.0.0.2'];
      expect(loadConfig({ dataDir: dir }, {}).trustProxy).toEqual(expected);
    }
  });

  it('a bad trustProxy fails with CONFIG_INVALID naming where it came from', () => {
    for (const bad of ['yes', '11', '-1', '1.5', '10.0.0.0/33', '10.0.0.256', 'proxy.example', '10.0.0.1,,nope', ',']) {
      const e = configError(() => loadConfig({ dataDir: dir }, { KOSMO_TRUST_PROXY: bad }));
      expect(e.details).toMatchObject({ reason: expect.stringMatching(/^TRUST_PROXY_/), from: 'KOSMO_TRUST_PROXY' });
    }
    for (const bad of [2.5, 'x', ['10.0.0.1', 'x'], []]) {
      writeFileSync(join(dir, 'kosmo.json'), JSON.stringify({ trustProxy: bad }));
      const e = configError(() => loadConfig({ dataDir: dir }, {}));
      expect(String(e.details.from)).toContain('kosmo.json: trustProxy');
    }
  });

  it('reads the file named by KOSMO_CONFIG instead of <dataDir>/kosmo.json', () => {
    const file = join(dir, 'other.json');
    writeFileSync(file, JSON.stringify({ databaseUrl: 'postgres://other/db' }));
    expect(loadConfig({ dataDir: join(dir, 'data') }, { KOSMO_CONFIG: file }).databaseUrl).toBe('postgres://other/db');
    configError(() => loadConfig({ dataDir: dir }, { KOSMO_CONFIG: join(dir, 'missing.json') }));
  });

  it('secret key: KOSMO_SECRET_KEY (hex or base64) wins over <dataDir>/secret.key', () => {
    writeFileSync(join(dir, 'secret.key'), 'cd'.repeat(32) + '\n');
    const fromFile = loadConfig({ dataDir: dir }, {});
    expect(fromFile.secretKeySource).toBe('file');
    expect(fromFile.secretKey!.equals(Buffer.alloc(32, 0xcd))).toBe(true);
    const fromEnv = loadConfig({ dataDir: dir }, { KOSMO_SECRET_KEY: HEX_KEY });
    expect(fromEnv.secretKeySource).toBe('env');
    expect(fromEnv.secretKey!.equals(Buffer.alloc(32, 0xab))).toBe(true);
    const b64 = Buffer.alloc(32, 9).toString('base64');
    expect(loadConfig({ dataDir: dir }, { KOSMO_SECRET_KEY: b64 }).secretKey!.equals(Buffer.alloc(32, 9))).toBe(true);
  });

  it('KOSMO_LANG picks English for en*, Japanese otherwise', () => {
    expect(loadConfig({}, { KOSMO_LANG: 'en' }).lang).toBe('en');
    expect(loadConfig({}, { KOSMO_LANG: 'en_US.UTF-8' }).lang).toBe('en');
    expect(loadConfig({}, { KOSMO_LANG: 'fr' }).lang).toBe('ja');
  });

  it('an invalid KOSMO_DATABASE_URL fails with CONFIG_INVALID naming the variable', () => {
    for (const url of ['mysql://x/y', 'kosmo.sqlite', 'http://db']) {
      const e = configError(() => loadConfig({ dataDir: dir }, { KOSMO_DATABASE_URL: url }));
      expect(e.details.reason).toBe('DATABASE_URL_SCHEME'); // staff text (naming the variable) in src/staff-text
    }
    expect(() => databaseDialect('oracle://x')).toThrow(KosmoError);
  });

  it('an invalid KOSMO_SECRET_KEY or secret.key fails with CONFIG_INVALID', () => {
    for (const key of ['short', 'ab'.repeat(31), Buffer.alloc(16).toString('base64'), 'ab'.repeat(33)]) {
      const e = configError(() => loadConfig({ dataDir: dir }, { KOSMO_SECRET_KEY: key }));
      expect(e.details).toMatchObject({ reason: 'SECRET_KEY_FORMAT', from: 'KOSMO_SECRET_KEY' });
    }
    writeFileSync(join(dir, 'secret.key'), 'not a key');
    configError(() => loadConfig({ dataDir: dir }, {}));
  });

  it('a config file that is not JSON, or holds unknown keys or wrong types, fails with CONFIG_INVALID', () => {
    for (const text of ['{ not json', '{"databaseUrl": 5}', '{"colour": "blue"}', '{"trustProxy": "yes"}']) {
      writeFileSync(join(dir, 'kosmo.json'), text);
      const e = configError(() => loadConfig({ dataDir: dir }, {}));
      expect(JSON.stringify(e.details)).toContain('kosmo.json');
    }
  });

  it('an SMTP URL that is not smtp:// or smtps:// fails with CONFIG_INVALID', () => {
    configError(() => loadConfig({ dataDir: dir }, { KOSMO_SMTP_URL: 'http://mail' }));
  });

  it('requireSecretKey fails clearly when no key is configured', () => {
    const e = configError(() => requireSecretKey(loadConfig({ dataDir: dir }, {})));
    expect(e.details.reason).toBe('SECRET_KEY_MISSING');
    expect(requireSecretKey(loadConfig({ dataDir: dir }, { KOSMO_SECRET_KEY: HEX_KEY })).length).toBe(32);
  });
});
