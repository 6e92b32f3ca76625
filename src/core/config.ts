import { existsSync, readFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { z } from 'zod';
import { KosmoError } from './errors.js';
import { parseTrustProxy, type TrustProxy } from './trust-proxy.js';

/**
 * Typed configuration. Precedence: explicit options (CLI flags) > environment (KOSMO_*) > the
 * optional file `<dataDir>/kosmo.json` (or KOSMO_CONFIG) > defaults. Validated once, at start.
 */
export interface KosmoConfig {
  dataDir: string;
  /** `sqlite:<path>` or a postgres:// URL. */
  databaseUrl: string;
  dialect: 'sqlite' | 'postgresql';
  /** 32-byte key for AES-256-GCM at rest; null until `kosmo init` wrote one. */
  secretKey: Buffer | null;
  secretKeySource: 'env' | 'file' | 'none';
  smtpUrl: string | null;
  lang: 'ja' | 'en';
  /** Which reverse proxies' X-Forwarded-* to trust (only ones you run): see trust-proxy.ts. */
  trustProxy: TrustProxy;
}

export interface ConfigOverrides {
  dataDir?: string;
  databaseUrl?: string;
}

const fileSchema = z
  .object({
    databaseUrl: z.string().min(1).optional(),
    smtpUrl: z.string().min(1).optional(),
    trustProxy: z.union([z.boolean(), z.number(), z.string(), z.array(z.string())]).optional(),
  })
  .strict();

export const SECRET_KEY_FILE = 'secret.key';
export const SQLITE_FILE = 'kosmo.sqlite';

/** `reason` is a reason code of the staff-text catalogue (`DATABASE_URL_SCHEME` …), with its parameters. */
function fail(reason: string, params: Record<string, unknown> = {}): never {
  throw new KosmoError('CONFIG_INVALID', { ...params, reason });
}

/** A 32-byte key from 64 hex characters or base64 (`from` names where it came from in errors). */
export function parseKey(raw: string, from: string): Buffer {
  const text = raw.trim();
  const key = /^[0-9a-f]{64}$/i.test(text) ? Buffer.from(text, 'hex') : Buffer.from(text, 'base64');
  if (key.length !== 32) fail('SECRET_KEY_FORMAT', { from });
  return key;
}

export function databaseDialect(url: string): 'sqlite' | 'postgresql' {
  if (url.startsWith('sqlite:')) return 'sqlite';
  if (/^postgres(ql)?:\/\//.test(url)) return 'postgresql';
  fail('DATABASE_URL_SCHEME');
}

export function loadConfig(overrides: ConfigOverrides = {}, env: NodeJS.ProcessEnv = process.env): KosmoConfig {
  const dataDir = resolve(overrides.dataDir ?? env.KOSMO_DATA_DIR ?? './kosmo-data');
  const filePath = env.KOSMO_CONFIG ? resolve(env.KOSMO_CONFIG) : join(dataDir, 'kosmo.json');
  let file: z.infer<typeof fileSchema> = {};
  if (existsSync(filePath)) {
    let raw: unknown;
    try {
      raw = JSON.parse(readFileSync(filePath, 'utf8'));
    } catch {
      fail('CONFIG_FILE_JSON', { file: filePath });
    }
    const parsed = fileSchema.safeParse(raw);
    if (!parsed.success) fail('CONFIG_FILE_SCHEMA', { file: filePath, keys: parsed.error.issues.map((i) => i.path.join('.') || (i as { keys?: string[] }).keys?.join(', ') || '-') });
    file = parsed.data;
  } else if (env.KOSMO_CONFIG) {
    fail('CONFIG_FILE_MISSING', { file: filePath });
  }

  const databaseUrl = overrides.databaseUrl ?? env.KOSMO_DATABASE_URL ?? file.databaseUrl ?? `sqlite:${join(dataDir, SQLITE_FILE)}`;
  const dialect = databaseDialect(databaseUrl);

  let secretKey: Buffer | null = null;
  let secretKeySource: KosmoConfig['secretKeySource'] = 'none';
  if (env.KOSMO_SECRET_KEY) {
    secretKey = parseKey(env.KOSMO_SECRET_KEY, 'KOSMO_SECRET_KEY');
    secretKeySource = 'env';
  } else if (existsSync(join(dataDir, SECRET_KEY_FILE))) {
    secretKey = parseKey(readFileSync(join(dataDir, SECRET_KEY_FILE), 'utf8'), join(dataDir, SECRET_KEY_FILE));
    secretKeySource = 'file';
  }

  const smtpUrl = env.KOSMO_SMTP_URL ?? file.smtpUrl ?? null;
  if (smtpUrl !== null && !/^smtps?:\/\//.test(smtpUrl)) fail('SMTP_URL_SCHEME');

  const langRaw = env.KOSMO_LANG ?? 'ja';
  const lang = langRaw.toLowerCase().startsWith('en') ? 'en' : 'ja';
  const trust = parseTrustProxy(env.KOSMO_TRUST_PROXY ? env.KOSMO_TRUST_PROXY : file.trustProxy);
  if ('problem' in trust) fail(trust.problem, { ...trust.params, ...(env.KOSMO_TRUST_PROXY ? { from: 'KOSMO_TRUST_PROXY' } : { from: `${filePath}: trustProxy`, file: filePath }) });
  const trustProxy = trust.value;

  return { dataDir, databaseUrl, dialect, secretKey, secretKeySource, smtpUrl, lang, trustProxy };
}

export function requireSecretKey(config: KosmoConfig): Buffer {
  if (!config.secretKey) fail('SECRET_KEY_MISSING');
  return config.secretKey;
}
