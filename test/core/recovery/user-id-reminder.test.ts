import { describe, it, expect, beforeEach, afterEach } from 'vitest';
import { testDatabases } from '../../support/databases.js';
import { createTestCore, type TestCore } from '../../support/core.js';
import { activeMemberWithTotp } from '../../support/members.js';
import { requestUserIdReminder } from '../../../src/core/recovery/request-user-id-reminder.js';
import { REQUESTS_PER_CLIENT } from '../../../src/core/recovery/recovery-limits.js';
import { KosmoValidationError } from '../../../src/core/errors.js';
import { Member } from '../../../src/core/db/entities/index.js';
import { queued } from './support.js';

describe.each(testDatabases)('user ID reminder on $name', (database) => {
  let t: TestCore;
  beforeEach(async () => {
    t = await createTestCore(database);
  });
  afterEach(async () => t.close());
  const ask = (birthDate: string, email: string, ip: string | null = null) => requestUserIdReminder(t.core, t.society.id, { birthDate, email, ip });

  it('mails the user ID only where birth date and registered address both match', async () => {
    const m = await activeMemberWithTotp(t);
    const row = await t.core.db.em().fork().findOneOrFail(Member, { id: m.memberId });
    await ask('19790823', row.email!);
    await ask('19790822', `x${row.email!}`);
    await ask('19790822', 'nobody@example.jp');
    expect(await queued(t, 'user-id-reminder')).toHaveLength(0);
    await ask('19790822', row.email!.toUpperCase());
    const mails = await queued(t, 'user-id-reminder');
    expect(mails).toHaveLength(1);
    expect(mails[0]!.to).toBe(row.email);
    expect(mails[0]!.text).toContain(`ユーザID：${row.userId}`);
  });

  it('reports a malformed birth date and address together (they say nothing about accounts)', async () => {
    const err = await ask('1979-13-40', 'a?b@example').catch((e: unknown) => e);
    expect(err).toBeInstanceOf(KosmoValidationError);
    expect((err as KosmoValidationError).codes).toEqual(['BIRTH_DATE_INVALID', 'EMAIL_INVALID']);
    const one = await ask('19790822', '').catch((e: unknown) => e);
    expect((one as KosmoValidationError).codes).toEqual(['EMAIL_REQUIRED']);
  });

  it(`rate limits per client: the ${REQUESTS_PER_CLIENT + 1}th request in 15 minutes is RATE_LIMITED`, async () => {
    for (let i = 0; i < REQUESTS_PER_CLIENT; i++) await ask('19790822', `n${i}@example.jp`, '203.0.113.9');
    await expect(ask('19790822', 'n@example.jp', '203.0.113.9')).rejects.toMatchObject({ code: 'RATE_LIMITED' });
    await expect(ask('19790822', 'n@example.jp', '203.0.113.10')).resolves.toBeUndefined();
  });
});
