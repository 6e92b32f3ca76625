import { describe, it, expect, beforeAll, afterAll } from 'vitest';
import { userInfo } from 'node:os';
import { ensureBuilt, kosmoIn, tempDataDir } from '../support/cli.js';

interface Event {
  at: string;
  action: string;
  actor: string;
  actorType: string;
  memberUserId: string | null;
  outcome: string;
  details: Record<string, unknown> | null;
}

describe('kosmo audit', () => {
  const dir = tempDataDir();
  const kosmo = kosmoIn(dir.dataDir);
  let a: { userId: string; password: string };
  let b: { userId: string; password: string };
  beforeAll(async () => {
    ensureBuilt();
    expect((await kosmo(['init'], { env: { KOSMO_STAFF: 'installer' } })).code).toBe(0);
    a = (await kosmo(['member', 'issue', '--name', '山田太郎', '--kana', 'ヤマダタロウ', '--birth-date', '1979-08-22', '--json', '--as', '佐藤'])).json;
    b = (await kosmo(['member', 'issue', '--name', '佐藤花子', '--kana', 'サトウハナコ', '--birth-date', '1985-01-15', '--json'], { env: { KOSMO_STAFF: '鈴木' } })).json;
    await kosmo(['member', 'unlock', a.userId, '--as', '佐藤'], { env: { KOSMO_STAFF: '鈴木' } });
    await kosmo(['member', 'disable', b.userId]);
  }, 180_000);
  afterAll(() => dir.cleanup());

  const events = async (args: string[] = []): Promise<Event[]> => {
    const r = await kosmo(['audit', ...args, '--json']);
    expect(r.code, r.stderr).toBe(0);
    return r.json;
  };

  it('records the staff name from --as, else KOSMO_STAFF, else the OS user', async () => {
    const all = await events();
    const by = (action: string, userId?: string) => all.find((e) => e.action === action && (userId === undefined || e.memberUserId === userId))!;
    expect(by('society.create')).toMatchObject({ actorType: 'staff', actor: 'installer' });
    expect(by('member.issue', a.userId).actor).toBe('佐藤');
    expect(by('member.issue', b.userId).actor).toBe('鈴木');
    expect(by('member.unlock', a.userId).actor).toBe('佐藤'); // --as wins over KOSMO_STAFF
    expect(by('member.disable', b.userId).actor).toBe(userInfo().username);
  });

  it('lists newest first and filters by member, action, staff and limit', async () => {
    const all = await events();
    expect(all.map((e) => e.at)).toEqual([...all.map((e) => e.at)].sort().reverse());
    expect((await events(['--member', a.userId.toUpperCase()])).map((e) => e.action)).toEqual(['member.unlock', 'member.issue']);
    expect((await events(['--action', 'member.issue'])).map((e) => e.memberUserId)).toEqual([b.userId, a.userId]);
    expect((await events(['--staff', '鈴木'])).map((e) => e.action)).toEqual(['member.issue']);
    expect(await events(['--limit', '1'])).toHaveLength(1);
  });

  it('filters by time: --since / --until, dates as Japan time', async () => {
    expect((await events(['--since', '2000-01-01'])).length).toBeGreaterThanOrEqual(5);
    expect(await events(['--until', '2000-01-01'])).toEqual([]);
    expect(await events(['--since', '2999-01-01T00:00:00+09:00'])).toEqual([]);
    const none = await kosmo(['audit', '--since', '2999-01-01']);
    expect(none.stdout.trim()).toBe('該当する監査ログはありません。');
  });

  it('prints one line per event in text', async () => {
    const r = await kosmo(['audit', '--member', a.userId]);
    const lines = r.stdout.trim().split('\n');
    expect(lines).toHaveLength(2);
    expect(lines[0]).toContain('member.unlock');
    expect(lines[0]).toContain('職員:佐藤');
    expect(lines[0]).toContain('成功');
    expect(lines[0]).toContain(a.userId);
  });

  it('refuses a bad --since, --until or --limit with exit 2 naming the flag; unknown member exit 3', async () => {
    const bad = [
      ['--since', '2026-13-01'],
      ['--until', '01/04/2026'],
      ['--limit', '0'],
    ] as const;
    const results = await Promise.all(bad.map(([flag, value]) => kosmo(['audit', flag, value])));
    for (const [i, [flag, value]] of bad.entries()) {
      expect(results[i]!.code, `${flag} ${value}`).toBe(2);
      expect(results[i]!.stderr).toContain(flag);
    }
    const j = await kosmo(['audit', '--since', 'yesterday', '--json']);
    expect(j.json).toEqual({ error: { code: 'INPUT_INVALID', message: expect.stringContaining('--since') } });
    const m = await kosmo(['audit', '--member', 'knobody234']);
    expect(m.code).toBe(3);
  });

  it('never shows a password', async () => {
    const r = await kosmo(['audit', '--limit', '1000']);
    const j = await kosmo(['audit', '--limit', '1000', '--json']);
    for (const pw of [a.password, b.password]) {
      expect(r.stdout).not.toContain(pw);
      expect(j.stdout).not.toContain(pw);
    }
  });
});
