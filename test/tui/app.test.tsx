import { describe, it, expect, beforeEach, afterEach } from 'vitest';
import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import argon2 from 'argon2';
import { render, cleanup } from 'ink-testing-library';
import stringWidth from 'string-width';
import { testDatabases } from '../support/databases.js';
import { createTestCore, STAFF, type TestCore } from '../support/core.js';
import { App } from '../../src/tui/app.js';
import { AuditEvent, LoginThrottle, Member, Passkey, PasswordCredential, Session, TermsVersion, TotpDevice } from '../../src/core/db/entities/index.js';
import { publishTerms } from '../../src/core/terms/publish-terms.js';
import { KEY, press, recordingServices, renderSized, seedMember, sleep, type, waitFor } from './support.js';

describe.each(testDatabases)('kosmo tui on $name', (database) => {
  let t: TestCore;
  let taro: { userId: string; member: { id: number } };
  let hanako: { userId: string; member: { id: number } };
  beforeEach(async () => {
    t = await createTestCore(database);
    await publishTerms(t.core, STAFF, { societyId: t.society.id, body: '第1条 テスト' });
    taro = await seedMember(t, '山田太郎', 'ヤマダタロウ', { devices: true, email: 'taro@example.jp' });
    hanako = await seedMember(t, '山田花子', 'ヤマダハナコ');
    await seedMember(t, '佐藤一郎', 'サトウイチロウ');
  });
  afterEach(async () => {
    cleanup();
    // Never close the database under a query the app still runs (a pg pool then never ends).
    for (const s of opened.splice(0)) await s.idle();
    await t.close();
  });

  const em = () => t.core.db.em();
  const opened: { idle(): Promise<void> }[] = [];
  const tracked = () => {
    const rec = recordingServices(t);
    opened.push(rec.services);
    return rec;
  };

  /** Mounts the app and searches for 山田太郎, focused on his detail pane. */
  async function openTaro(lang: 'ja' | 'en' = 'ja') {
    const rec = tracked();
    const app = render(<App services={rec.services} lang={lang} debounceMs={30} />);
    await type(app.stdin, 'ヤマダタ');
    await waitFor(() => expect(app.lastFrame()).toContain(taro.userId));
    await waitFor(() => expect(app.lastFrame()).toContain('iPhone'));
    await press(app.stdin, KEY.enter);
    return { ...app, rec, frame: () => app.lastFrame() ?? '' };
  }

  it('searches as you type (debounced, in the database, with a limit) and shows the detail pane', async () => {
    const rec = tracked();
    const app = render(<App services={rec.services} lang="ja" debounceMs={1000} />);
    expect(app.lastFrame()).toContain('ユーザID・氏名・カナ');
    expect(app.lastFrame()).toContain('Ctrl+C 終了'); // help is always on screen
    for (const ch of 'ヤマダ') {
      app.stdin.write(ch);
      await sleep(150); // a person typing: slower than the screen, faster than the debounce
    }
    await waitFor(() => expect(app.lastFrame()).toContain('2 件'));
    // One search for the whole word typed, not one per key.
    expect(rec.searches).toEqual([{ text: 'ヤマダ', limit: 50 }]);
    const f = app.lastFrame()!;
    expect(f).toContain(taro.userId);
    expect(f).toContain(hanako.userId);
    expect(f).not.toContain('佐藤一郎');
    // The first result's detail: status, lock, last login, accepted terms, devices.
    await waitFor(() => expect(app.lastFrame()).toContain('デバイス: 3'));
    const d = app.lastFrame()!;
    for (const s of ['状態: 利用中', 'ロック: なし', '最終ログイン: -', '規約同意: -', 'OTP:iPhone', 'OTP:iPad', '生体認証:Pixel']) expect(d).toContain(s);
    // Down selects the next member; the detail follows.
    await press(app.stdin, KEY.down);
    await waitFor(() => expect(app.lastFrame()).toContain('状態: 仮発行'));
    expect(app.lastFrame()).toContain('山田花子 (ヤマダハナコ)');
    // Backspace edits the query, Esc clears it.
    await press(app.stdin, KEY.backspace, KEY.backspace, KEY.backspace);
    await type(app.stdin, 'サトウ');
    await waitFor(() => expect(app.lastFrame()).toContain('佐藤一郎'));
    expect(rec.searches.at(-1)).toEqual({ text: 'サトウ', limit: 50 });
    await press(app.stdin, KEY.esc);
    await waitFor(() => expect(app.lastFrame()).toContain('ユーザID・氏名・カナ'));
    // A card number and a birth date find members too.
    await type(app.stdin, '1979-08-22');
    await waitFor(() => expect(app.lastFrame()).toContain('3 件'));
  });

  it('unlock: a locked member is open again (audited)', async () => {
    const e = em();
    e.create(LoginThrottle, { society: t.society.id, subject: `m:${taro.member.id}`, failures: 20, lastFailureAt: t.clock.now(), blockedUntil: null, lockedAt: t.clock.now() });
    await e.flush();
    const app = await openTaro();
    await waitFor(() => expect(app.frame()).toContain('ロック中'));
    await press(app.stdin, 'u');
    await waitFor(() => expect(app.frame()).toContain(`${taro.userId} のロックを解除しました。`));
    await waitFor(() => expect(app.frame()).toContain('ロック: なし'));
    const row = await em().findOneOrFail(LoginThrottle, { subject: `m:${taro.member.id}` });
    expect([row.failures, row.lockedAt]).toEqual([0, null]);
    expect(await em().count(AuditEvent, { action: 'member.unlock', memberId: taro.member.id })).toBe(1);
  });

  it('re-issue: needs the user ID typed; the new password is shown once and works', async () => {
    const before = (await em().findOneOrFail(PasswordCredential, { member: taro.member.id })).hash;
    const app = await openTaro();
    await press(app.stdin, 'p');
    await waitFor(() => expect(app.frame()).toContain('新しい仮パスワードを発行します'));
    await type(app.stdin, 'kwrongid99');
    await press(app.stdin, KEY.enter);
    await waitFor(() => expect(app.frame()).toContain('ユーザIDが一致しません'));
    expect((await em().findOneOrFail(PasswordCredential, { member: taro.member.id })).hash).toBe(before);

    await press(app.stdin, 'p');
    await type(app.stdin, taro.userId.toUpperCase()); // user IDs compare case-insensitively
    await press(app.stdin, KEY.enter);
    await waitFor(() => expect(app.frame()).toContain('この表示は一度だけです'));
    const password = /仮パスワード: ([A-Za-z2-9]{12})/.exec(app.frame())![1]!;
    const cred = await em().findOneOrFail(PasswordCredential, { member: taro.member.id });
    expect(cred.provisional).toBe(true);
    expect(await argon2.verify(cred.hash, password)).toBe(true);
    expect(await em().count(Session, { member: taro.member.id })).toBe(0);
    await press(app.stdin, KEY.enter);
    await waitFor(() => expect(app.frame()).not.toContain(password));
    await sleep(100);
    expect(app.frame()).not.toContain(password);
  });

  it('remove one device: pick it, type the user ID; sessions end', async () => {
    const app = await openTaro();
    await press(app.stdin, 'd');
    await waitFor(() => expect(app.frame()).toContain('削除するデバイスを選択'));
    await press(app.stdin, KEY.down, KEY.enter);
    await waitFor(() => expect(app.frame()).toContain('デバイス「otp:iPad」を削除します'));
    await type(app.stdin, taro.userId);
    await press(app.stdin, KEY.enter);
    await waitFor(() => expect(app.frame()).toContain('デバイスを削除しました: otp:iPad'));
    expect((await em().find(TotpDevice, { member: taro.member.id })).map((d) => d.name)).toEqual(['iPhone']);
    expect(await em().count(Passkey, { member: taro.member.id })).toBe(1);
    expect(await em().count(Session, { member: taro.member.id })).toBe(0);
    await waitFor(() => expect(app.frame()).toContain('デバイス: 2'));
    // Esc in the middle of a confirmation changes nothing.
    await press(app.stdin, 'd', KEY.enter);
    await type(app.stdin, taro.userId);
    await press(app.stdin, KEY.esc);
    await sleep(100);
    expect(await em().count(TotpDevice, { member: taro.member.id })).toBe(1);
  });

  it('remove all devices, after typing the user ID', async () => {
    const app = await openTaro();
    await press(app.stdin, 'a');
    await waitFor(() => expect(app.frame()).toContain('デバイス 3 件をすべて削除します'));
    await type(app.stdin, taro.userId);
    await press(app.stdin, KEY.enter);
    await waitFor(() => expect(app.frame()).toContain('デバイス: なし'));
    expect(await em().count(TotpDevice, { member: taro.member.id })).toBe(0);
    expect(await em().count(Passkey, { member: taro.member.id })).toBe(0);
    expect(await em().count(AuditEvent, { action: 'member.devices.remove', memberId: taro.member.id })).toBe(1);
  });

  it('disable needs the typed user ID; enable does not', async () => {
    const app = await openTaro();
    await press(app.stdin, 'x');
    await waitFor(() => expect(app.frame()).toContain('を無効にします'));
    await type(app.stdin, taro.userId);
    await press(app.stdin, KEY.enter);
    await waitFor(() => expect(app.frame()).toContain('状態: 無効'));
    expect((await em().findOneOrFail(Member, { id: taro.member.id })).status).toBe('disabled');
    await press(app.stdin, 'x');
    await waitFor(() => expect(app.frame()).toContain('状態: 利用中'));
    expect((await em().findOneOrFail(Member, { id: taro.member.id })).status).toBe('active');
  });

  it('rename: edits name and kana; an invalid kana is shown inline and nothing changes', async () => {
    const app = await openTaro();
    await press(app.stdin, 'r');
    await waitFor(() => expect(app.frame()).toContain('氏名の変更'));
    await press(app.stdin, KEY.backspace, KEY.backspace);
    await type(app.stdin, '次郎');
    await press(app.stdin, KEY.tab);
    await press(app.stdin, KEY.backspace, KEY.backspace, KEY.backspace);
    await type(app.stdin, 'abc');
    await press(app.stdin, KEY.enter);
    await waitFor(() => expect(app.frame()).toContain('kana'));
    expect(app.frame()).toContain('氏名の変更'); // still open, to correct it
    expect((await em().findOneOrFail(Member, { id: taro.member.id })).name).toBe('山田太郎');
    await press(app.stdin, KEY.backspace, KEY.backspace, KEY.backspace);
    await type(app.stdin, 'ジロウ');
    await press(app.stdin, KEY.enter);
    await waitFor(() => expect(app.frame()).toContain('氏名を変更しました: 山田次郎 (ヤマダジロウ)'));
    expect(await em().findOneOrFail(Member, { id: taro.member.id })).toMatchObject({ name: '山田次郎', kana: 'ヤマダジロウ' });
    await waitFor(() => expect(app.frame()).toContain('山田次郎 (ヤマダジロウ)'));
  });

  it("shows the member's audit trail", async () => {
    const app = await openTaro();
    await press(app.stdin, 'u');
    await waitFor(() => expect(app.frame()).toContain('ロックされていませんでした'));
    await press(app.stdin, 'l');
    await waitFor(() => expect(app.frame()).toContain(`${taro.userId} の監査ログ`));
    await waitFor(() => expect(app.frame()).toContain('member.unlock'));
    expect(app.frame()).toContain('member.issue');
    expect(app.frame()).toContain('職員:tester');
    await press(app.stdin, KEY.esc);
    await waitFor(() => expect(app.frame()).toContain('ロック: なし'));
  });

  it('terms screen: versions, how many have not accepted, publish from a file', async () => {
    const rec = tracked();
    const app = render(<App services={rec.services} lang="ja" debounceMs={30} />);
    await press(app.stdin, KEY.ctrlT);
    await waitFor(() => expect(app.lastFrame()).toContain('現行 第1版に未同意: 3 名'));
    expect(app.lastFrame()).toContain('第1版');
    const file = join(mkdtempSync(join(tmpdir(), 'kosmo-terms-')), 'terms-v2.txt');
    writeFileSync(file, '第1条 改定しました。');
    await press(app.stdin, 'p');
    await type(app.stdin, file);
    await press(app.stdin, KEY.enter);
    await waitFor(() => expect(app.lastFrame()).toContain('利用規約 第2版を公開しました。'));
    await waitFor(() => expect(app.lastFrame()).toContain('現行 第2版に未同意: 3 名'));
    const latest = await em().findOneOrFail(TermsVersion, { society: t.society.id, version: 2 });
    expect(latest.body).toBe('第1条 改定しました。');
    expect(latest.publishedBy).toBe('tester');
    // A file that cannot be read is a message, not a crash.
    await press(app.stdin, 'p');
    await type(app.stdin, '/no/such/file.txt');
    await press(app.stdin, KEY.enter);
    await waitFor(() => expect(app.lastFrame()).toContain('/no/such/file.txt を読めません'));
    expect(await em().count(TermsVersion, { society: t.society.id })).toBe(2);
  });

  it('English with KOSMO_LANG=en, from the same catalogue', async () => {
    const app = await openTaro('en');
    expect(app.frame()).toContain('Status: active');
    expect(app.frame()).toContain('u unlock');
    await press(app.stdin, 'x');
    await waitFor(() => expect(app.frame()).toContain(`Disable ${taro.userId}`));
  });

  it('an unexpected error is a banner naming the log, not a crash', async () => {
    const rec = tracked();
    const services = { ...rec.services, show: async () => Promise.reject(new TypeError('boom')) };
    const app = render(<App services={services} lang="ja" debounceMs={10} />);
    await type(app.stdin, 'ヤマダ');
    await waitFor(() => expect(app.lastFrame()).toContain('予期しないエラーが発生しました'));
    expect(app.lastFrame()).toContain(rec.logPath);
    expect(readFileSync(rec.logPath, 'utf8')).toContain('TypeError: boom');
  });

  it('fits 80×24 on every screen, help always visible', async () => {
    const rec = tracked();
    const app = renderSized(<App services={rec.services} lang="ja" debounceMs={10} />, 80, 24);
    const fits = () => {
      const lines = app.lastFrame().split('\n');
      expect(lines.length).toBeLessThanOrEqual(24);
      for (const l of lines) expect(stringWidth(l), l).toBeLessThanOrEqual(80);
      expect(lines.some((l) => l.includes('Ctrl+C 終了') || l.includes('Esc 取消') || l.includes('Enter で閉じ'))).toBe(true);
    };
    fits();
    await type(app.stdin, 'ヤマダ');
    await waitFor(() => expect(app.lastFrame()).toContain('OTP:iPhone'));
    fits();
    await press(app.stdin, KEY.enter);
    await waitFor(() => expect(app.lastFrame()).toContain('u ロック解除'));
    fits();
    await press(app.stdin, 'd');
    await waitFor(() => expect(app.lastFrame()).toContain('削除するデバイスを選択'));
    fits();
    await press(app.stdin, KEY.esc, 'l');
    await waitFor(() => expect(app.lastFrame()).toContain('member.issue'));
    fits();
    await press(app.stdin, KEY.esc, 't');
    await waitFor(() => expect(app.lastFrame()).toContain('未同意'));
    fits();
    app.unmount();
  });
});
