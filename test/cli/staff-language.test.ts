import { describe, it, expect, afterEach } from 'vitest';
import { readdirSync, readFileSync, statSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import type { Command } from 'commander';
import { ROOT, initializedDataDir } from '../support/cli.js';
import { catalogues } from '../../src/staff-text/index.js';
import { helpJa } from '../../src/staff-text/help-ja.js';
import { helpEn } from '../../src/staff-text/help-en.js';

/** English prose: three or more lower-case words in a row (flags, codes and paths are not prose). */
const PROSE = /(?<![-\w.:/`{'"])[a-z]{3,}(?: [a-z]{2,}){2,}/;
const JAPANESE = /[ぁ-んァ-ヶ一-龠]/;

/** Help text without what is no prose: the usage line (command words), flags, arguments, file names, variables. */
const identifiersOut = (help: string) => help.replace(/^使い方: .*$/m, '').replace(/--[\w-]+|<[^>]+>|\[[^\]]+\]|\S+\.\S+|KOSMO_\w+|X-Forwarded-\*/g, '');

function everyDescription(cmd: Command, path: string[] = []): { where: string; text: string }[] {
  const here = [...path, cmd.name()].join(' ');
  const out = [{ where: here, text: cmd.description() }];
  for (const o of cmd.options) out.push({ where: `${here} ${o.flags}`, text: o.description });
  for (const sub of cmd.commands) out.push(...everyDescription(sub, [...path, cmd.name()]));
  return out;
}

describe('the staff CLI speaks the staff language', () => {
  const saved = process.env.KOSMO_LANG;
  afterEach(() => {
    if (saved === undefined) delete process.env.KOSMO_LANG;
    else process.env.KOSMO_LANG = saved;
  });

  it('every command and option description comes from the help catalogue, in each language', async () => {
    const { buildProgram } = await import('../../src/cli/program.js');
    const { CliRuntime } = await import('../../src/cli/runtime.js');
    for (const [lang, help] of [
      ['ja', helpJa],
      ['en', helpEn],
    ] as const) {
      process.env.KOSMO_LANG = lang;
      const texts = new Set(Object.values(help));
      const all = everyDescription(buildProgram(new CliRuntime()));
      expect(all.length).toBeGreaterThan(60);
      for (const { where, text } of all) {
        expect(texts.has(text), `${lang}: ${where}: "${text}" is not from src/staff-text/help-${lang}.ts`).toBe(true);
        if (lang === 'ja') expect(text, where).toMatch(JAPANESE);
      }
    }
  });

  it('core errors carry reason codes, not prose: every literal reason of a staff-visible error is in the catalogue', () => {
    const files: string[] = [];
    const walk = (d: string) => {
      for (const e of readdirSync(d)) {
        const p = join(d, e);
        if (statSync(p).isDirectory()) walk(p);
        else if (p.endsWith('.ts')) files.push(p);
      }
    };
    walk(join(ROOT, 'src', 'core'));
    walk(join(ROOT, 'src', 'cli'));
    // The portal shows these codes' member message only; staff never see their reason.
    const memberOnly = new Set(['PASSKEY_FAILED', 'OTP_INVALID', 'INVALID_CREDENTIALS']);
    const knownProse = new Set<string>();
    const found: string[] = [];
    for (const f of files) {
      const src = readFileSync(f, 'utf8');
      for (const m of src.matchAll(/new KosmoError\('(\w+)',\s*\{[^}]*?\breason:\s*(['`])([^'`]*)\2/g)) {
        if (memberOnly.has(m[1]!) || knownProse.has(m[3]!)) continue;
        found.push(m[3]!);
        expect(m[3], `${f}: ${m[0]}`).toMatch(/^[A-Z][A-Z0-9_]*$/);
        expect(catalogues.ja[`reason.${m[3]}`] ?? catalogues.ja[`code.${m[1]}.${m[3]}`], `${f}: reason ${m[3]}`).toBeDefined();
      }
      for (const m of src.matchAll(/\b(?:fail|usageError|fileError)\((?:[^,()]+,\s*)?'([^']+)'/g)) {
        if (!/^[A-Z][A-Z0-9_]*$/.test(m[1]!)) continue;
        found.push(m[1]!);
        expect(catalogues.ja[`reason.${m[1]}`], `${f}: ${m[0]}`).toBeDefined();
      }
    }
    expect(found.length).toBeGreaterThan(40);
  });

  describe('through the binary', () => {
    const { dir, kosmo } = initializedDataDir();

    it('subcommand help is Japanese by default and English with KOSMO_LANG=en', async () => {
      const ja = await kosmo(['member', 'issue', '--help']);
      expect(ja.code).toBe(0);
      expect(ja.stdout).toContain('使い方: kosmo member issue [オプション]');
      expect(ja.stdout).toContain('加入者一人に仮ユーザIDと仮パスワードを発行する');
      expect(ja.stdout).toContain('self(本人)か family(家族)(既定: self)');
      expect(ja.stdout).toContain('共通オプション:');
      expect(identifiersOut(ja.stdout)).not.toMatch(PROSE);
      const en = await kosmo(['member', 'issue', '--help'], { env: { KOSMO_LANG: 'en' } });
      expect(en.stdout).toContain('Usage: kosmo member issue [options]');
      expect(en.stdout).toContain('issue a provisional user ID and password for one member');
      expect(en.stdout).not.toMatch(/使い方|加入者一人/);
      for (const args of [
        ['society', '--help'],
        ['audit', '--help'],
        ['backup', '--help'],
        ['restore', '--help'],
        ['help', 'serve'],
      ]) {
        const r = await kosmo(args);
        expect(r.code, args.join(' ')).toBe(0);
        expect(identifiersOut(r.stdout), args.join(' ')).not.toMatch(PROSE);
      }
    });

    it("commander's usage errors are in Japanese too (and in --json)", async () => {
      const missing = await kosmo(['member', 'issue', '--name', '山田太郎']);
      expect(missing.code).toBe(2);
      expect(missing.stderr.split('\n')[0]).toBe('kosmo: エラー: オプション --kana <kana> は必須です。');
      const unknown = await kosmo(['member', 'show', 'kabc', '--colour', 'red', '--json']);
      expect(unknown.code).toBe(2);
      expect(unknown.json.error).toEqual({ code: 'USAGE', message: '不明なオプション --colour です。' });
      const en = await kosmo(['member', 'issue', '--name', '山田太郎'], { env: { KOSMO_LANG: 'en' } });
      expect(en.stderr.split('\n')[0]).toBe("kosmo: error: required option '--kana <kana>' not specified");
    });

    it('no English fragment inside a Japanese message: flags, import rows, settings, configuration', async () => {
      const csv = join(dir.root, 'members.csv');
      writeFileSync(csv, 'name,kana,birth_date\n山田太郎,ヤマダタロウ,1979-08-22\n佐藤花子,サトウハナコ,1985-02-30\n山田太郎,ヤマダタロウ,1979-08-22\n');
      const letters = await kosmo(['member', 'import', csv, '--letters', join(dir.root, 'letters.html')]);
      expect(letters.code).toBe(2);
      expect(letters.stderr.trim()).toBe(
        'kosmo: エラー: --portal-url の値が正しくありません: お知らせとメールにはポータルのアドレスが必要です。`kosmo society set publicUrl https://…` で一度設定するか、--portal-url を指定してください',
      );
      const rows = await kosmo(['member', 'import', csv, '--out', join(dir.root, 'out.csv')]);
      expect(rows.code, rows.stderr).toBe(0);
      expect(rows.stdout).toContain('3行目 birth_date: 1979-08-22 のような実在する日付を指定してください');
      expect(rows.stdout).toContain('4行目: 2行目と同じ加入者です');
      const setting = await kosmo(['society', 'set', 'allowedFactors', '["sms"]']);
      expect(setting.stderr.trim()).toBe('kosmo: エラー: allowedFactors の値が正しくありません: allowedFactors.0 は passkey, otp のいずれかにしてください');
      const url = await kosmo(['society', 'set', 'publicUrl', 'not a url']);
      expect(url.stderr.trim()).toBe('kosmo: エラー: publicUrl の値が正しくありません: publicUrl は https://portal.example.jp/ のような URL にしてください');
      const config = await kosmo(['member', 'search', 'x'], { env: { KOSMO_DATABASE_URL: 'mysql://x' } });
      expect(config.code).toBe(2);
      expect(config.stderr.trim()).toBe('kosmo: エラー: 設定エラー: KOSMO_DATABASE_URL は sqlite: か postgres:// で始めてください');
      const badKey = await kosmo(['member', 'search', 'x'], { env: { KOSMO_SECRET_KEY: 'short' } });
      expect(badKey.stderr.trim()).toBe('kosmo: エラー: 設定エラー: KOSMO_SECRET_KEY には 32 バイトの鍵(16 進数 64 文字か base64)を指定してください');
      for (const r of [letters, rows, setting, url, config, badKey]) expect((r.stdout + r.stderr).replace(/`[^`]*`/g, '')).not.toMatch(PROSE);
    });

    it('member show and search say status and lock in the TUI words', async () => {
      const m = (await kosmo(['member', 'issue', '--name', '鈴木一郎', '--kana', 'スズキイチロウ', '--birth-date', '1970-01-01', '--json'])).json;
      expect((await kosmo(['member', 'disable', m.userId])).code).toBe(0);
      const show = await kosmo(['member', 'show', m.userId]);
      expect(show.stdout).toContain('状態: 無効');
      expect(show.stdout).toContain('ロック: なし');
      expect(show.stdout).toContain('デバイス: なし');
      const search = await kosmo(['member', 'search', 'スズキ']);
      expect(search.stdout).toContain('無効');
      expect(search.stdout).not.toContain('disabled');
      const en = await kosmo(['member', 'show', m.userId], { env: { KOSMO_LANG: 'en' } });
      expect(en.stdout).toContain('Status: disabled');
    });
  });
});
