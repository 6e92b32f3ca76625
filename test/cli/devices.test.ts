import { describe, it, expect, beforeAll, afterAll } from 'vitest';
import { randomBytes } from 'node:crypto';
import { testDatabases } from '../support/databases.js';
import { ensureBuilt } from '../support/cli.js';
import { AuditEvent, MailMessage, Member, Passkey, Session, TotpDevice } from '../../src/core/db/entities/index.js';
import { nextLoginStep } from '../../src/core/auth/login-step.js';
import { cliDatabase, expectOk, type CliDatabase } from './import-fixtures.js';

describe.each(testDatabases)('kosmo member devices / remove-device on $name', (database) => {
  let c: CliDatabase;
  let seq = 0;
  beforeAll(async () => {
    ensureBuilt();
    c = await cliDatabase(database);
    expectOk(await c.kosmo(['init']));
  }, 180_000);
  afterAll(async () => c.cleanup());

  /** An active member (first login done) with two OTP devices, a passkey and two portal sessions. */
  async function memberWithDevices(email: string | null = 'lost@example.jp') {
    seq += 1;
    const issued = expectOk(
      await c.kosmo([
        'member',
        'issue',
        '--name',
        '紛失太郎',
        '--kana',
        'フンシツタロウ',
        '--birth-date',
        '1979-08-22',
        '--card-number',
        `${500 + seq}`,
        ...(email ? ['--email', email] : []),
        '--json',
      ]),
    ).json as { userId: string };
    // The enrolment screens are another part of the product: the devices are written directly.
    const em = (await c.core()).db.em();
    const m = await em.findOneOrFail(Member, { userId: issued.userId });
    m.status = 'active';
    m.onboardingStep = null;
    m.preferredMethod = 'otp';
    const t0 = new Date('2026-03-01T00:00:00Z');
    em.create(TotpDevice, { member: m, name: 'iPhone', secretEnc: 'v1.x.y.z', lastUsedStep: null, createdAt: t0, lastUsedAt: new Date('2026-03-20T01:02:03Z') });
    em.create(TotpDevice, { member: m, name: 'iPad', secretEnc: 'v1.x.y.z', lastUsedStep: null, createdAt: t0, lastUsedAt: null });
    em.create(Passkey, { member: m, label: 'Pixel 8', credentialId: randomBytes(16).toString('base64url'), publicKey: 'pk', counter: 0, transports: ['internal'], createdAt: t0, lastUsedAt: null });
    for (let i = 0; i < 2; i++) {
      em.create(Session, {
        society: m.society,
        member: m,
        tokenHash: randomBytes(32).toString('hex'),
        state: {} as never,
        persistent: false,
        authenticatedAt: t0,
        createdAt: t0,
        lastSeenAt: t0,
        idleExpiresAt: new Date('2099-01-01T00:00:00Z'),
        absoluteExpiresAt: new Date('2099-01-01T00:00:00Z'),
        ip: '192.0.2.1',
        userAgent: 'test',
      });
    }
    await em.flush();
    return { userId: issued.userId, id: m.id };
  }

  const counts = async (id: number) => {
    const em = (await c.core()).db.em();
    return { otp: await em.count(TotpDevice, { member: id }), passkey: await em.count(Passkey, { member: id }), sessions: await em.count(Session, { member: id }) };
  };

  it('lists OTP devices and passkeys with names, dates and last use', async () => {
    const { userId } = await memberWithDevices();
    const r = expectOk(await c.kosmo(['member', 'devices', userId]));
    const lines = r.stdout.trim().split('\n');
    expect(lines).toHaveLength(3);
    expect(lines[0]).toMatch(/^otp:iPhone {2}OTP\(認証アプリ\) {2}登録 2026\/3\/1 9:00:00 {2}最終利用 2026\/3\/20 10:02:03$/);
    expect(lines[1]).toMatch(/^otp:iPad .*最終利用 -$/);
    expect(lines[2]).toMatch(/^passkey:Pixel 8 {2}生体認証 /);
    const j = expectOk(await c.kosmo(['member', 'devices', userId, '--json'])).json;
    expect(j.devices).toEqual([
      { kind: 'otp', name: 'iPhone', createdAt: '2026-03-01T00:00:00.000Z', lastUsedAt: '2026-03-20T01:02:03.000Z' },
      { kind: 'otp', name: 'iPad', createdAt: '2026-03-01T00:00:00.000Z', lastUsedAt: null },
      { kind: 'passkey', name: 'Pixel 8', createdAt: '2026-03-01T00:00:00.000Z', lastUsedAt: null },
    ]);
    const en = expectOk(await c.kosmo(['member', 'devices', userId], { env: { KOSMO_LANG: 'en' } }));
    expect(en.stdout).toContain('last used');
  });

  it('refuses without --yes, with both or neither of --device/--all, and an unknown device: exit 2, nothing removed', async () => {
    const { userId, id } = await memberWithDevices();
    const noYes = await c.kosmo(['member', 'remove-device', userId, '--all']);
    expect(noYes.code).toBe(2);
    expect(noYes.stderr).toContain('--yes');
    const both = await c.kosmo(['member', 'remove-device', userId, '--all', '--device', 'iPhone', '--yes', '--json']);
    expect(both.code).toBe(2);
    expect(both.json.error.code).toBe('INPUT_INVALID');
    expect((await c.kosmo(['member', 'remove-device', userId, '--yes'])).code).toBe(2);
    const unknown = await c.kosmo(['member', 'remove-device', userId, '--device', 'Galaxy', '--yes']);
    expect(unknown.code).toBe(2);
    expect(unknown.stderr).toContain('Galaxy');
    expect(await counts(id)).toEqual({ otp: 2, passkey: 1, sessions: 2 });
    expect((await c.kosmo(['member', 'remove-device', 'knosuchone', '--all', '--yes'])).code).toBe(3);
  });

  it('removes one device: sessions end, the removal is audited and a notice is queued', async () => {
    const { userId, id } = await memberWithDevices('one@example.jp');
    const r = expectOk(await c.kosmo(['member', 'remove-device', userId, '--device', 'iPhone', '--yes', '--json']));
    expect(r.json).toEqual({ userId, removed: [{ kind: 'otp', name: 'iPhone' }], sessionsEnded: 2, notified: true, remaining: 2 });
    expect(await counts(id)).toEqual({ otp: 1, passkey: 1, sessions: 0 });
    const em = (await c.core()).db.em();
    const [event] = await em.find(AuditEvent, { action: 'member.devices.remove', memberId: id });
    expect(event).toMatchObject({ actorType: 'staff', actor: 'import-tester', outcome: 'success', details: { removed: [{ kind: 'otp', name: 'iPhone' }], sessionsEnded: 2 } });
    const mails = await em.find(MailMessage, { memberId: id, kind: 'devices-removed-by-staff' });
    expect(mails.map((m) => [m.toAddress, m.status])).toEqual([['one@example.jp', 'pending']]);
    // A passkey by its name (with the kind prefix the listing shows).
    expectOk(await c.kosmo(['member', 'remove-device', userId, '--device', 'passkey:Pixel 8', '--yes']));
    expect(await counts(id)).toEqual({ otp: 1, passkey: 0, sessions: 0 });
  });

  it('removes all devices: the member proves the birth date and sets up a new factor at the next login (FAQ Q14)', async () => {
    const { userId, id } = await memberWithDevices(null);
    const r = expectOk(await c.kosmo(['member', 'remove-device', userId, '--all', '--yes']));
    expect(r.stdout).toContain('otp:iPhone, otp:iPad, passkey:Pixel 8');
    expect(r.stdout).toContain('セッション 2 件を終了');
    expect(r.stdout).toContain('新しい認証方法');
    expect(r.stdout).not.toContain('メール'); // no address, no notice
    expect(await counts(id)).toEqual({ otp: 0, passkey: 0, sessions: 0 });
    const em = (await c.core()).db.em();
    expect(await em.count(MailMessage, { memberId: id })).toBe(0);
    const m = await em.findOneOrFail(Member, { id });
    const societyId = (m.society as unknown as { id: number }).id;
    const store = (await c.core()).db.store;
    expect(await nextLoginStep(store, societyId, m.id, {})).toBe('birth_date');
    expect(await nextLoginStep(store, societyId, m.id, { birthDateVerified: true })).toBe('factor_setup');
    expect(expectOk(await c.kosmo(['member', 'devices', userId])).stdout).toContain('登録されたデバイスはありません');
    const again = expectOk(await c.kosmo(['member', 'remove-device', userId, '--all', '--yes', '--json']));
    expect(again.json).toMatchObject({ removed: [], sessionsEnded: 0 });
    expect(await em.count(AuditEvent, { action: 'member.devices.remove', memberId: id })).toBe(1);
  });
});
