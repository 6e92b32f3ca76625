import { describe, it, expect } from 'vitest';
import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { initializedDataDir } from '../support/cli.js';

describe('kosmo society and kosmo terms', () => {
  const { dir, kosmo } = initializedDataDir();

  it('society show prints the settings with the documented defaults', async () => {
    const r = await kosmo(['society', 'show', '--json']);
    expect(r.code).toBe(0);
    expect(r.json.settings).toMatchObject({ password: { minLength: 8, maxLength: 64 }, lockout: { backoffFrom: 5, lockAt: 20 }, provisionalExpiryDays: 90 });
    const text = await kosmo(['society', 'show']);
    expect(text.stdout).toContain('"code": "sckenpo"');
  });

  it('society set changes a value and prints a confirmation; --json the new settings', async () => {
    const r = await kosmo(['society', 'set', 'password.minLength', '10']);
    expect(r.code).toBe(0);
    expect(r.stdout.trim()).toBe('password.minLength を設定しました。');
    const j = await kosmo(['society', 'set', 'hostNames', 'portal.sckenpo.example, www.sckenpo.example', '--json']);
    expect(j.json.settings.hostNames).toEqual(['portal.sckenpo.example', 'www.sckenpo.example']);
    expect((await kosmo(['society', 'show', '--json'])).json.settings.password.minLength).toBe(10);
    expect((await kosmo(['society', 'set', 'name', '大和総研健康保険組合', '--json'])).json.name).toBe('大和総研健康保険組合');
  });

  it('society set refuses an unknown key or a bad value with exit 2', async () => {
    const key = await kosmo(['society', 'set', 'password.colour', 'red']);
    expect(key.code).toBe(2);
    expect(key.stderr.trim()).toBe('kosmo: エラー: 設定項目 password.colour はありません。');
    const keyJson = await kosmo(['society', 'set', 'nope', '1', '--json']);
    expect(keyJson.json.error.code).toBe('SETTING_UNKNOWN');
    const value = await kosmo(['society', 'set', 'lockout.lockAt', 'twenty', '--json']);
    expect(value.code).toBe(2);
    expect(value.json.error.code).toBe('SETTING_INVALID');
    expect(value.json.error.message).toContain('lockout.lockAt');
    const range = await kosmo(['society', 'set', 'lockout.lockAt', '1000']);
    expect(range.code).toBe(2);
    expect(range.stderr).toContain('lockout.lockAt');
  });

  it('terms publish, list and pending', async () => {
    const file = join(dir.root, 'terms-v2.txt');
    writeFileSync(file, '\uFEFF第1条(目的)\r\n改定版です。\r\n');
    const p = await kosmo(['terms', 'publish', file, '--title', '利用規約 第2版', '--as', '佐藤']);
    expect(p.code).toBe(0);
    expect(p.stdout.trim()).toBe('利用規約 第2版を公開しました。');
    const j = await kosmo(['terms', 'publish', file, '--json']);
    expect(j.json).toMatchObject({ version: 3, title: '利用規約' });
    const list = await kosmo(['terms', 'list', '--json']);
    expect(list.json.map((v: { version: number; publishedBy: string }) => [v.version, v.publishedBy])).toEqual([
      [3, expect.any(String)],
      [2, '佐藤'],
      [1, expect.any(String)],
    ]);
    const listText = await kosmo(['terms', 'list']);
    expect(listText.stdout).toMatch(/^v2 .*利用規約 第2版 {2}\(佐藤, 0\)$/m);

    const m = await kosmo(['member', 'issue', '--name', '山田太郎', '--kana', 'ヤマダタロウ', '--birth-date', '19790822', '--json']);
    const pending = await kosmo(['terms', 'pending', '--json']);
    expect(pending.json).toEqual({ version: 3, total: 1, members: [{ userId: m.json.userId, name: '山田太郎', kana: 'ヤマダタロウ' }] });
    const text = await kosmo(['terms', 'pending']);
    expect(text.stdout).toContain('第3版に未同意の加入者: 1 名');
    expect(text.stdout).toContain(m.json.userId);
    expect((await kosmo(['terms', 'pending', '--limit', 'x'])).code).toBe(2);
  });

  it('terms publish of an unreadable or empty file is exit 2 naming it', async () => {
    const missing = join(dir.root, 'missing.txt');
    const r = await kosmo(['terms', 'publish', missing]);
    expect(r.code).toBe(2);
    expect(r.stderr.trim()).toBe(`kosmo: エラー: ファイル ${missing} を読めません。`);
    const folder = join(dir.root, 'a-folder');
    mkdirSync(folder);
    const f = await kosmo(['terms', 'publish', folder, '--json']);
    expect(f.code).toBe(2);
    expect(f.json.error.code).toBe('FILE_UNREADABLE');
    const empty = join(dir.root, 'empty.txt');
    writeFileSync(empty, '\n\n');
    const e = await kosmo(['terms', 'publish', empty, '--json']);
    expect(e.code).toBe(2);
    expect(e.json.error.code).toBe('TERMS_EMPTY');
    const en = await kosmo(['terms', 'publish', missing], { env: { KOSMO_LANG: 'en' } });
    expect(en.stderr.trim()).toBe(`kosmo: error: cannot read ${missing}`);
  });
});
