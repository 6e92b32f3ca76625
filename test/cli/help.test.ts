import { describe, it, expect, beforeAll, afterAll } from 'vitest';
import { execFileSync } from 'node:child_process';
import { readFileSync, rmSync, mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { ensureBuilt, run, ROOT } from '../support/cli.js';

const HOOK = join(ROOT, 'test', 'cli', 'fixtures', 'record-modules.mjs');
/** What `kosmo serve` / `kosmo tui` load, and nothing else may (DESIGN.md §2, §6). */
const HEAVY = /\/node_modules\/(koa|@koa\/[^/]+|ink|ink-[^/]+|react|react-dom|react-reconciler|nunjucks)\/|\/dist\/(portal|tui)\//;

describe('kosmo --help', () => {
  let dir: string;
  beforeAll(() => {
    ensureBuilt();
    dir = mkdtempSync(join(tmpdir(), 'kosmo-help-'));
  }, 180_000);
  afterAll(() => rmSync(dir, { recursive: true, force: true }));

  async function loaded(args: string[]): Promise<{ code: number; stdout: string; modules: string[] }> {
    const out = join(dir, `modules-${Math.random().toString(36).slice(2)}.txt`);
    const r = await run(args, { nodeArgs: ['--import', HOOK], env: { KOSMO_TEST_MODULES_OUT: out, KOSMO_DATA_DIR: join(dir, 'none') } });
    return { code: r.code, stdout: r.stdout, modules: readFileSync(out, 'utf8').trim().split('\n') };
  }

  it('prints the usage with every command and exits 0, in Japanese by default and English with KOSMO_LANG=en', async () => {
    const commands = ['init', 'migrate', 'society', 'member', 'terms', 'audit', 'mail', 'backup', 'restore', 'serve', 'tui'];
    const r = await run(['--help']);
    expect(r.code).toBe(0);
    for (const word of ['使い方: kosmo', 'オプション:', 'コマンド:', '--data-dir', '--society', '--json', '--as', ...commands]) expect(r.stdout).toContain(word);
    expect(r.stdout).toContain('データディレクトリ');
    expect(r.stdout).not.toMatch(/Usage:|Options:|display help|data directory/);
    const en = await run(['--help'], { env: { KOSMO_LANG: 'en' } });
    expect(en.code).toBe(0);
    for (const word of ['Usage: kosmo', 'Options:', 'Commands:', 'data directory', ...commands]) expect(en.stdout).toContain(word);
    expect(en.stdout).not.toContain('データディレクトリ');
  });

  it('does not load Koa, Ink or React (the hook does see what is loaded)', async () => {
    const top = await loaded(['--help']);
    expect(top.code).toBe(0);
    expect(top.modules.some((u) => u.endsWith('/bin/kosmo.js'))).toBe(true);
    expect(top.modules.filter((u) => HEAVY.test(u))).toEqual([]);
    // The live commander help of a command group, and a help for a subcommand, load commander …
    for (const args of [
      ['member', '--help'],
      ['help', 'member'],
      ['member', 'issue', '--help'],
    ]) {
      const r = await loaded(args);
      expect(r.code, args.join(' ')).toBe(0);
      expect(r.modules.some((u) => u.includes('/node_modules/commander/'))).toBe(true);
      expect(
        r.modules.filter((u) => HEAVY.test(u)),
        args.join(' '),
      ).toEqual([]);
    }
  });

  it('a plain command does not load them either', async () => {
    const r = await loaded(['member', 'show', 'kabcdefghj']);
    expect(r.code).toBe(3); // no data dir
    expect(r.modules.filter((u) => HEAVY.test(u))).toEqual([]);
  });

  it("each language's --help snapshot equals commander's live help, so it cannot drift", () => {
    for (const lang of ['ja', 'en']) {
      const live = execFileSync(process.execPath, [join(ROOT, 'dist', 'cli', 'main.js'), '--help'], { env: { ...process.env, COLUMNS: '80', KOSMO_LANG: lang } }).toString();
      expect(readFileSync(join(ROOT, 'dist', 'cli', `help.${lang}.txt`), 'utf8'), lang).toBe(live);
    }
  });
});
