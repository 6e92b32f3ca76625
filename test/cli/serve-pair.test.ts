import { describe, it, expect, beforeAll, afterAll } from 'vitest';
import { testDatabases } from '../support/databases.js';
import { type kosmoIn, tempDataDir } from '../support/cli.js';
import { startServePair, type ServeProcess } from '../support/serve.js';
import { Browser, textOf } from '../portal/support/browser.js';

/**
 * Issue 9, reproduction 1 and 3 as reported: two real `kosmo serve` processes on one PostgreSQL
 * database, a burst of guesses spread over both. The lockout holds across processes because each
 * attempt reserves its place with one atomic statement in the shared database.
 */
const postgres = testDatabases.find((d) => d.name === 'postgresql');

describe.skipIf(!postgres)('two kosmo serve processes sharing one PostgreSQL', () => {
  const dir = tempDataDir();
  let pair: Awaited<ReturnType<typeof startServePair>> | undefined;
  let kosmo: ReturnType<typeof kosmoIn>;
  let serves: ServeProcess[] = [];
  beforeAll(async () => {
    pair = await startServePair(postgres!, dir.dataDir);
    ({ kosmo, serves } = pair);
  }, 180_000);
  afterAll(async () => {
    await pair?.stop();
    dir.cleanup();
  });

  async function burst(userId: string, passwords: string[]) {
    const browsers = passwords.map((_, i) => new Browser(serves[i % 2]!.base));
    await Promise.all(browsers.map((b) => b.get('/login')));
    return Promise.all(browsers.map((b, i) => b.post('/login', { userId, password: passwords[i]! }, { follow: false })));
  }

  it('50 wrong and the right password over both: at most 5 checked, the right one refused after', async () => {
    const m = (await kosmo(['member', 'issue', '--name', '山田太郎', '--kana', 'ヤマダタロウ', '--birth-date', '1979-08-22', '--card-number', '1', '--json'])).json;
    await burst(
      m.userId,
      Array.from({ length: 50 }, (_, i) => `Wrong-guess-${i}`),
    );
    const shown = (await kosmo(['member', 'show', m.userId, '--json'])).json;
    expect(shown.lock.failures).toBe(5);
    const [right] = await burst(m.userId, [m.password]);
    expect(right!.status).toBe(401);
    expect(textOf(right!.body)).toContain('しばらく時間をおいてから再度お試しください');
    const checked = (await kosmo(['audit', '--member', m.userId, '--action', 'login.password', '--limit', '500', '--json'])).json.filter(
      (e: { details?: { reason?: string } }) => e.details?.reason !== 'throttled',
    );
    expect(checked).toHaveLength(5);
  });

  it('30 wrong passwords at once over both are all counted (no lost update)', async () => {
    expect((await kosmo(['society', 'set', 'lockout.backoffFrom', '100'])).code).toBe(0);
    expect((await kosmo(['society', 'set', 'lockout.lockAt', '100'])).code).toBe(0);
    // All 30 come from one client: lift the smart lockout's per-client numbers too, so the account
    // counter is what is watched (docs/member-security.md).
    expect((await kosmo(['society', 'set', 'lockout.clientBackoffFrom', '100'])).code).toBe(0);
    expect((await kosmo(['society', 'set', 'lockout.clientLockAt', '100'])).code).toBe(0);
    // Each process reads society settings per attempt, so the change applies at once.
    const m = (await kosmo(['member', 'issue', '--name', '佐藤花子', '--kana', 'サトウハナコ', '--birth-date', '1980-01-02', '--card-number', '2', '--json'])).json;
    const answers = await burst(
      m.userId,
      Array.from({ length: 30 }, (_, i) => `Wrong-guess-${i}`),
    );
    expect(answers.every((a) => a.status === 401)).toBe(true);
    expect((await kosmo(['member', 'show', m.userId, '--json'])).json.lock.failures).toBe(30);
  });
});
