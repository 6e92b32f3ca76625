import { describe, it, expect, beforeAll, afterAll, afterEach } from 'vitest';
import { spawn, type ChildProcess } from 'node:child_process';
import { startSmtpServer, type TestSmtpServer } from '../support/smtp.js';
import { BIN, ensureBuilt, kosmoIn, ROOT, tempDataDir } from '../support/cli.js';
import { loadConfig } from '../../src/core/config.js';
import { createCore } from '../../src/core/context.js';
import { Member, PasswordCredential } from '../../src/core/db/entities/index.js';

async function until(cond: () => boolean, what: string, ms = 20_000): Promise<void> {
  const end = Date.now() + ms;
  while (!cond()) {
    if (Date.now() > end) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 20));
  }
}

const TARO = ['--name', '山田太郎', '--kana', 'ヤマダタロウ', '--birth-date', '1979-08-22'];

/**
 * The real `bin/kosmo.js` against a real SMTP server on loopback, configured the way staff do it:
 * KOSMO_SMTP_URL in the environment.
 */
describe('kosmo with KOSMO_SMTP_URL', () => {
  let smtp: TestSmtpServer;
  const cleanups: (() => void)[] = [];
  beforeAll(async () => {
    ensureBuilt();
    smtp = await startSmtpServer();
  }, 180_000);
  afterAll(async () => smtp.close());
  afterEach(() => {
    for (const c of cleanups.splice(0)) c();
    smtp.received.length = 0;
  });

  async function initDir() {
    const d = tempDataDir();
    cleanups.push(d.cleanup);
    const kosmo = kosmoIn(d.dataDir, { env: { KOSMO_STAFF: 'mail-tester', KOSMO_SMTP_URL: smtp.url, KOSMO_LANG: 'ja' } });
    const r = await kosmo(['init', '--society-code', 'sckenpo', '--society-name', '大和総研健保']);
    expect(r.code, r.stderr).toBe(0);
    return { dataDir: d.dataDir, kosmo };
  }

  it('`member issue --mail` queues the provisional credentials; `mail deliver` sends them; the password in the mail is the one issued', async () => {
    const { dataDir, kosmo } = await initDir();
    const issued = await kosmo(['member', 'issue', ...TARO, '--email', 'taro@example.jp', '--mail', '--json']);
    expect(issued.code, issued.stderr).toBe(0);
    expect(issued.json).toMatchObject({ mailed: true });
    expect(issued.json.password).toBeUndefined();
    const userId: string = issued.json.userId;

    const pending = await kosmo(['mail', 'list', '--status', 'pending', '--json']);
    expect(pending.json).toHaveLength(1);
    expect(smtp.received).toHaveLength(0);

    const delivered = await kosmo(['mail', 'deliver', '--json']);
    expect(delivered.code, delivered.stderr).toBe(0);
    expect(delivered.json).toEqual({ sent: 1, failed: 0, retried: 0 });
    expect(smtp.received).toHaveLength(1);
    const mail = smtp.received[0]!;
    expect(mail.envelopeTo).toEqual(['taro@example.jp']);
    expect(mail.parsed.subject).toBe('【大和総研健保】加入者ページ 仮ユーザID・仮パスワードのお知らせ');
    expect(mail.parsed.text).toContain(`仮ユーザID：${userId}`);
    const password = /仮パスワード：(\S+)/.exec(mail.parsed.text)![1]!;
    expect(mail.parsed.html).toContain(password);

    // The mailed password is the one whose hash was stored.
    const core = await createCore(loadConfig({ dataDir }, {}));
    try {
      const em = core.db.em();
      const member = await em.findOneOrFail(Member, { userId });
      const cred = await em.findOneOrFail(PasswordCredential, { member: member.id });
      expect(await core.hasher.verify(cred.hash, password)).toBe(true);
    } finally {
      await core.db.close();
    }
    // Sent once; the body with the password is gone from the queue.
    expect((await kosmo(['mail', 'deliver', '--json'])).json).toEqual({ sent: 0, failed: 0, retried: 0 });
    const shown = await kosmo(['mail', 'show', String(pending.json[0].id)]);
    expect(shown.stdout).not.toContain(password);
    expect(smtp.received).toHaveLength(1);
  });

  it('`kosmo serve` runs the mail worker: it delivers what was queued before it started and what other processes queue, and stops on SIGTERM', async () => {
    const { dataDir, kosmo } = await initDir();
    const first = await kosmo(['member', 'issue', ...TARO, '--email', 'first@example.jp', '--mail', '--json']);
    expect(first.code, first.stderr).toBe(0);

    const env: Record<string, string> = {};
    for (const [k, v] of Object.entries(process.env)) if (v !== undefined && !k.startsWith('KOSMO_') && k !== 'NODE_OPTIONS') env[k] = v;
    Object.assign(env, { KOSMO_SMTP_URL: smtp.url, KOSMO_LANG: 'ja' });
    const child: ChildProcess = spawn(process.execPath, [BIN, '--data-dir', dataDir, 'serve', '--port', '0'], { cwd: ROOT, env, stdio: ['ignore', 'pipe', 'pipe'] });
    cleanups.push(() => child.kill('SIGKILL'));
    let out = '';
    let err = '';
    child.stdout!.setEncoding('utf8').on('data', (d: string) => (out += d));
    child.stderr!.setEncoding('utf8').on('data', (d: string) => (err += d));
    await until(() => /で待ち受けています/.test(out) && /メールの送信先: /.test(out), 'the portal and its banner');
    expect(out).toContain(`メールの送信先: smtp://127.0.0.1:${smtp.port}`);
    expect(out + err).not.toContain(smtp.pass);
    expect(out + err).not.toContain(encodeURIComponent(smtp.pass));

    await until(() => smtp.received.length === 1, 'the mail queued before the start');
    expect(smtp.received[0]!.envelopeTo).toEqual(['first@example.jp']);

    // Another process queues; the running worker picks it up (it polls).
    const reissued = await kosmo(['member', 'reissue', first.json.userId, '--mail', '--json']);
    expect(reissued.code, reissued.stderr).toBe(0);
    await until(() => smtp.received.length === 2, 'the mail queued by another process', 30_000);
    expect(smtp.received[1]!.parsed.text).toContain(`仮ユーザID：${first.json.userId}`);

    child.kill('SIGTERM');
    const code = await new Promise<number | null>((resolve) => (child.exitCode !== null ? resolve(child.exitCode) : child.on('exit', (c) => resolve(c))));
    expect(code, err).toBe(0);
    expect(out).toContain('kosmo serve: 停止しました');
    expect([...smtp.countByMessageId().values()]).toEqual([1, 1]);
  }, 60_000);
});
