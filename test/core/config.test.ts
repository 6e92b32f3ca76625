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
    expect(loadConfig({ dataDir: dir }, {})).toMatchObject({ smtpUrl: 'smtp://file:25', trustProxy: true });
    expect(loadConfig({ dataDir: dir }, { KOSMO_SMTP_URL: 'smtps://env:465', KOSMO_TRUST_PROXY: '0' })).toMatchObject({ smtpUrl: 'smtps://env:465', trustProxy: false });
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
      expect(String(e.details.reason)).toContain('KOSMO_DATABASE_URL');
    }
    expect(() => databaseDialect('oracle://x')).toThrow(KosmoError);
  });

  it('an invalid KOSMO_SECRET_KEY or secret.key fails with CONFIG_INVALID', () => {
    for (const key of ['short', 'ab'.repeat(31), Buffer.alloc(16).toString('base64'), 'ab'.repeat(33)]) {
      const e = configError(() => loadConfig({ dataDir: dir }, { KOSMO_SECRET_KEY: key }));
      expect(String(e.details.reason)).toContain('KOSMO_SECRET_KEY');
    }
    writeFileSync(join(dir, 'secret.key'), 'not a key');
    configError(() => loadConfig({ dataDir: dir }, {}));
  });

  it('a config file that is not JSON, or holds unknown keys or wrong types, fails with CONFIG_INVALID', () => {
    for (const text of ['{ not json', '{"databaseUrl": 5}', '{"colour": "blue"}', '{"trustProxy": "yes"}']) {
      writeFileSync(join(dir, 'kosmo.json'), text);
      const e = configError(() => loadConfig({ dataDir: dir }, {}));
      expect(String(e.details.reason)).toContain('kosmo.json');
    }
  });

  it('an SMTP URL that is not smtp:// or smtps:// fails with CONFIG_INVALID', () => {
    configError(() => loadConfig({ dataDir: dir }, { KOSMO_SMTP_URL: 'http://mail' }));
  });

  it('requireSecretKey fails clearly when no key is configured', () => {
    const e = configError(() => requireSecretKey(loadConfig({ dataDir: dir }, {})));
    expect(String(e.details.reason)).toContain('kosmo init');
    expect(requireSecretKey(loadConfig({ dataDir: dir }, { KOSMO_SECRET_KEY: HEX_KEY })).length).toBe(32);
  });
});
