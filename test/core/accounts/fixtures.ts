import { issueMember, type IssueResult } from '../../../src/core/accounts/issue-member.js';
import type { MemberInput } from '../../../src/core/accounts/member-input.js';
import { loadThrottle } from '../../../src/core/auth/lockout.js';
import { Member, PasswordCredential, Session, type MemberRow } from '../../../src/core/db/entities/index.js';
import { newToken, sha256Hex, cryptoRandom } from '../../../src/core/random.js';
import { beforeAll, afterAll, beforeEach } from 'vitest';
import { randomBytes } from 'node:crypto';
import { createSociety } from '../../../src/core/society/create-society.js';
import type { CreateSocietyInput } from '../../../src/core/society/create-society.js';
import { createTestCore, STAFF, type TestCore } from '../../support/core.js';
import type { TestDatabase } from '../../support/databases.js';

/** Helpers shared by the core suites (accounts, auth, onboarding, terms, audit). */
export const TARO = { name: '山田太郎', kana: 'ヤマダタロウ', birthDate: '1979-08-22' } as const;

export const START = '2026-04-01T00:00:00Z';

/**
 * One migrated database per test file and dialect (creating a PostgreSQL database costs ~0.5 s),
 * and a fresh society for every test with the clock back at START: every query is scoped by
 * society, so tests stay independent. The first society (`sckenpo`) serves as "another society".
 */
export function perTestSociety(database: TestDatabase, settings?: CreateSocietyInput['settings']): () => TestCore {
  let base: TestCore | undefined;
  let current: TestCore | undefined;
  beforeAll(async () => {
    base = await createTestCore(database, START);
  });
  afterAll(async () => base?.close());
  beforeEach(async () => {
    base!.clock.set(START);
    const code = `t-${randomBytes(5).toString('hex')}`;
    const society = await createSociety(base!.core, STAFF, { code, name: '大和総研健保', portalTitle: '大和総研健保加入者ページ', settings });
    current = { ...base!, society, close: async () => undefined };
  });
  return () => current!;
}

export function issue(t: TestCore, input: Partial<MemberInput> = {}, societyId = t.society.id): Promise<IssueResult> {
  return issueMember(t.core, STAFF, { societyId, member: { ...TARO, ...input } });
}

export async function reload(t: TestCore, memberId: number): Promise<MemberRow> {
  return t.core.db.em().findOneOrFail(Member, { id: memberId });
}

export async function credentialOf(t: TestCore, memberId: number) {
  return t.core.db.em().findOneOrFail(PasswordCredential, { member: memberId });
}

export async function lockoutOf(t: TestCore, memberId: number, societyId = t.society.id) {
  return loadThrottle(t.core, societyId, memberId);
}

/** A portal session row, as the sessions module would write it (only the token hash stored). */
export async function addSession(t: TestCore, member: { id: number }, societyId = t.society.id): Promise<void> {
  const em = t.core.db.em();
  const now = t.clock.now();
  em.create(Session, {
    society: societyId,
    member: member.id,
    tokenHash: sha256Hex(newToken(cryptoRandom)),
    state: { stage: 'authenticated' },
    persistent: false,
    authenticatedAt: now,
    createdAt: now,
    lastSeenAt: now,
    idleExpiresAt: new Date(now.getTime() + 30 * 60_000),
    absoluteExpiresAt: new Date(now.getTime() + 12 * 3600_000),
    ip: '192.0.2.1',
    userAgent: 'test',
  });
  await em.flush();
}

export async function sessionCount(t: TestCore, memberId: number): Promise<number> {
  return t.core.db.em().count(Session, { member: memberId });
}

/** Marks a member as having finished first login (active, own password), without the portal. */
export async function makeActive(t: TestCore, memberId: number): Promise<void> {
  const em = t.core.db.em();
  const m = await em.findOneOrFail(Member, { id: memberId });
  m.status = 'active';
  m.onboardingStep = null;
  m.provisionalExpiresAt = null;
  const cred = await em.findOneOrFail(PasswordCredential, { member: memberId });
  cred.provisional = false;
  await em.flush();
}

/** Every row of every table, as text: for "no secret is stored anywhere" checks. */
export async function databaseText(t: TestCore): Promise<string> {
  const conn = t.core.db.em().getConnection();
  const tables =
    t.core.db.dialect === 'sqlite'
      ? ((await conn.execute(`select name from sqlite_master where type = 'table'`)) as { name: string }[]).map((r) => r.name)
      : ((await conn.execute(`select tablename as name from pg_tables where schemaname = current_schema()`)) as { name: string }[]).map((r) => r.name);
  let out = '';
  for (const name of tables) {
    const rows = (await conn.execute(`select * from "${name}"`)) as unknown[];
    out += `${name}: ${JSON.stringify(rows)}\n`;
  }
  return out;
}

/** `$argon2id$v=19$m=19456,p=1,t=2$salt$hash` → its id and parameters (in any order). */
export function phcParams(phc: string): Record<string, string> {
  const m = /^\$(argon2(?:id|i|d))\$v=19\$([a-z]=\d+(?:,[a-z]=\d+)*)\$[A-Za-z0-9+/]+\$[A-Za-z0-9+/]+$/.exec(phc);
  if (!m) return { phc };
  return { id: m[1]!, ...Object.fromEntries(m[2]!.split(',').map((kv) => kv.split('=') as [string, string])) };
}

/** Puts a provisional member at a first-login step, as the earlier steps would have. */
export async function atStep(t: TestCore, memberId: number, step: string): Promise<void> {
  const em = t.core.db.em();
  const m = await em.findOneOrFail(Member, { id: memberId });
  m.onboardingStep = step;
  await em.flush();
}
