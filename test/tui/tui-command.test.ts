import { describe, it, expect, beforeAll, afterAll } from 'vitest';
import { spawn, spawnSync } from 'node:child_process';
import { BIN, ROOT, kosmoIn, tempDataDir } from '../support/cli.js';
import { ensureTuiBuilt, sleep } from './support.js';

const hasScript = spawnSync('script', ['--version']).status === 0;

/** `kosmo tui` as staff start it: the real binary on a pseudo-terminal (util-linux `script`). */
function onTerminal(dataDir: string) {
  const env: Record<string, string> = {};
  // Staff run it at a terminal, not under CI: Ink renders nothing interactive when CI is set.
  for (const [k, v] of Object.entries(process.env)) if (v !== undefined && !k.startsWith('KOSMO_') && !['NODE_OPTIONS', 'CI', 'CONTINUOUS_INTEGRATION'].includes(k)) env[k] = v;
  Object.assign(env, { TZ: 'Asia/Tokyo', KOSMO_STAFF: 'tui-tester', TERM: 'xterm-256color' });
  const cmd = `stty cols 80 rows 24; exec ${JSON.stringify(process.execPath)} ${JSON.stringify(BIN)} --data-dir ${JSON.stringify(dataDir)} tui`;
  const child = spawn('script', ['-qfec', cmd, '/dev/null'], { env, cwd: ROOT, stdio: ['pipe', 'pipe', 'pipe'] });
  let out = '';
  // What a person sees: the text without colours and cursor moves.
  // eslint-disable-next-line no-control-regex -- strips terminal escape sequences (ESC)
  child.stdout.setEncoding('utf8').on('data', (d: string) => (out += d.replace(/\u001B\[[0-9;?]*[ -/]*[@-~]|\u001B[()][A-Z0-9]|\u001B[=>78]/g, '')));
  const exited = new Promise<number | null>((resolve) => child.on('exit', (code) => resolve(code)));
  return {
    output: () => out,
    async waitFor(text: string, ms = 45_000) {
      const end = Date.now() + ms;
      while (!out.includes(text)) {
        if (Date.now() > end) throw new Error(`no "${text}" on the terminal:\n${out.slice(-2000)}`);
        await sleep(50);
      }
    },
    async keys(...ks: string[]) {
      for (const k of ks) {
        child.stdin.write(k);
        await sleep(k === '\u001B' ? 150 : 60);
      }
    },
    exited,
  };
}

describe('kosmo tui (the command)', () => {
  const dir = tempDataDir();
  const kosmo = kosmoIn(dir.dataDir, { env: { KOSMO_STAFF: 'tui-tester' } });
  let userId: string;
  beforeAll(async () => {
    ensureTuiBuilt();
    expect((await kosmo(['init'])).code).toBe(0);
    userId = (await kosmo(['member', 'issue', '--name', '端末太郎', '--kana', 'タンマツタロウ', '--birth-date', '1980-02-02', '--json'])).json.userId;
  }, 180_000);
  afterAll(() => dir.cleanup());

  it('needs a terminal: exit 2 with a clear message when stdin is not one', async () => {
    const r = await kosmo(['tui']);
    expect(r.code).toBe(2);
    expect(r.stderr).toContain('kosmo tui は端末');
    const j = await kosmo(['tui', '--json']);
    expect(j.json.error.code).toBe('INPUT_INVALID');
  });

  it.skipIf(!hasScript)(
    'runs on a terminal: search, an action, Ctrl+C quits with exit 0',
    async () => {
      const term = onTerminal(dir.dataDir);
      await term.waitFor('KOSMO 加入者サポート');
      await term.waitFor('Ctrl+C 終了');
      await term.keys('タンマツ');
      await term.waitFor(userId);
      await term.waitFor('状態: 仮発行');
      await term.keys('\r', 'u');
      await term.waitFor(`${userId} はロックされていませんでした`);
      await term.keys('\u0003');
      expect(await term.exited).toBe(0);
      const audit = await kosmo(['audit', '--action', 'member.unlock', '--json']);
      expect(audit.json).toEqual([expect.objectContaining({ action: 'member.unlock', actor: 'tui-tester', memberUserId: userId })]);
    },
    150_000,
  );
});
