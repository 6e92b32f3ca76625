import { describe, it, expect, beforeEach, afterEach } from 'vitest';
import { createHash } from 'node:crypto';
import { testDatabases } from '../../support/databases.js';
import { createTestCore, STAFF, type TestCore } from '../../support/core.js';
import { issueMember } from '../../../src/core/accounts/issue-member.js';
import { createSession } from '../../../src/core/sessions/create-session.js';
import { loadSession } from '../../../src/core/sessions/load-session.js';
import { rotateSession } from '../../../src/core/sessions/rotate-session.js';
import { destroyOtherSessions, destroySession } from '../../../src/core/sessions/destroy-session.js';
import { endMemberSession } from '../../../src/core/sessions/end-member-session.js';
import { purgeExpiredSessions } from '../../../src/core/sessions/purge-expired-sessions.js';
import { saveSessionState } from '../../../src/core/sessions/save-session-state.js';
import { Session } from '../../../src/core/db/entities/index.js';
import { queryAudit } from '../../../src/core/audit/query-audit.js';

const client = { ip: '192.0.2.1', userAgent: 'test' };
const MIN = 60_000;

describe.each(testDatabases)('session service on $name', (database) => {
  let t: TestCore;
  let memberId: number;
  beforeEach(async () => {
    t = await createTestCore(database);
    memberId = (await issueMember(t.core, STAFF, { societyId: t.society.id, member: { name: '山田 太郎', kana: 'ヤマダ タロウ', birthDate: '1979-08-22' } })).member.id;
  });
  afterEach(async () => t.close());

  it('stores only the SHA-256 of a 256-bit token and finds the session by the token', async () => {
    const { token, session } = await createSession(t.core, t.society.id, client);
    expect(Buffer.from(token, 'base64url')).toHaveLength(32);
    expect(session.tokenHash).toBe(createHash('sha256').update(token).digest('hex'));
    expect(session.state.csrf).toMatch(/^[A-Za-z0-9_-]{43}$/);
    const loaded = await loadSession(t.core, t.society.id, token);
    expect(loaded.status).toBe('valid');
    expect((await loadSession(t.core, t.society.id, session.tokenHash)).status).toBe('missing');
    expect((await loadSession(t.core, t.society.id + 1, token)).status).toBe('missing');
    expect((await loadSession(t.core, t.society.id, 'short')).status).toBe('missing');
  });

  it('expires after 30 idle minutes; activity moves the idle deadline', async () => {
    const { token } = await createSession(t.core, t.society.id, client);
    t.clock.advance(20 * MIN);
    expect((await loadSession(t.core, t.society.id, token)).status).toBe('valid');
    t.clock.advance(20 * MIN);
    expect((await loadSession(t.core, t.society.id, token)).status).toBe('valid');
    t.clock.advance(30 * MIN);
    expect(await loadSession(t.core, t.society.id, token)).toEqual({ status: 'expired', hadMember: false });
    expect(await t.core.db.em().count(Session, {})).toBe(0);
  });

  it('expires 12 hours after authentication, and a persistent one after 30 days (idle 7 days)', async () => {
    const { session } = await createSession(t.core, t.society.id, client);
    const { token } = await rotateSession(t.core, session.id, { expectTokenHash: session.tokenHash, memberId, state: { stage: 'authenticated' }, authenticated: true });
    for (let i = 1; i < 36; i++) {
      t.clock.advance(20 * MIN);
      expect((await loadSession(t.core, t.society.id, token)).status, `${i * 20} min`).toBe('valid');
    }
    t.clock.advance(20 * MIN);
    expect(await loadSession(t.core, t.society.id, token)).toEqual({ status: 'expired', hadMember: true });

    const s2 = await createSession(t.core, t.society.id, client);
    const r2 = await rotateSession(t.core, s2.session.id, { expectTokenHash: s2.session.tokenHash, memberId, state: {}, persistent: true, authenticated: true });
    t.clock.advance(6 * 86_400_000);
    expect((await loadSession(t.core, t.society.id, r2.token)).status).toBe('valid');
    t.clock.advance(7 * 86_400_000 + MIN);
    expect((await loadSession(t.core, t.society.id, r2.token)).status).toBe('expired');
  });

  it('rotation gives a new token and CSRF token; the old token stops working at once', async () => {
    const { token, session } = await createSession(t.core, t.society.id, client);
    const rotated = await rotateSession(t.core, session.id, { expectTokenHash: session.tokenHash, memberId, state: { stage: 'login', progress: {} }, authenticated: true });
    expect(rotated.token).not.toBe(token);
    expect(rotated.session.state.csrf).not.toBe(session.state.csrf);
    expect((await loadSession(t.core, t.society.id, token)).status).toBe('missing');
    const loaded = await loadSession(t.core, t.society.id, rotated.token);
    expect(loaded.status === 'valid' && loaded.session.member?.id).toBe(memberId);
    expect(loaded.status === 'valid' && loaded.session.authenticatedAt?.getTime()).toBe(t.clock.now().getTime());
  });

  it('saves state, destroys one session with an audit event, and all others of a member', async () => {
    const a = await createSession(t.core, t.society.id, client);
    const ra = await rotateSession(t.core, a.session.id, { expectTokenHash: a.session.tokenHash, memberId, state: {}, authenticated: true });
    await saveSessionState(t.core, ra.session.id, ra.session.tokenHash, { stage: 'authenticated', flash: 'x' });
    const loaded = await loadSession(t.core, t.society.id, ra.token);
    expect(loaded.status === 'valid' && loaded.session.state).toMatchObject({ stage: 'authenticated', flash: 'x' });
    const others = [];
    for (let i = 0; i < 3; i++) {
      const s = await createSession(t.core, t.society.id, client);
      others.push(await rotateSession(t.core, s.session.id, { expectTokenHash: s.session.tokenHash, memberId, state: {}, authenticated: true }));
    }
    const acting = { societyId: t.society.id, memberId, ip: null };
    expect(await destroyOtherSessions(t.core, acting, { keepSessionId: ra.session.id })).toBe(3);
    for (const o of others) expect((await loadSession(t.core, t.society.id, o.token)).status).toBe('missing');
    expect((await loadSession(t.core, t.society.id, ra.token)).status).toBe('valid');
    await destroySession(t.core, acting, { societyId: t.society.id, sessionId: ra.session.id });
    expect((await loadSession(t.core, t.society.id, ra.token)).status).toBe('missing');
    expect((await queryAudit(t.core, t.society.id, { action: 'logout' })).length).toBe(1);
    expect((await queryAudit(t.core, t.society.id, { action: 'sessions.revoke' }))[0]!.details).toEqual({ count: 3 });
  });

  it("a member's session commands act only on their own sessions and audit in their name, from the acting address", async () => {
    const signedIn = async (member: number) => {
      const s = await createSession(t.core, t.society.id, client);
      return rotateSession(t.core, s.session.id, { expectTokenHash: s.session.tokenHash, memberId: member, state: {}, authenticated: true });
    };
    const other = (await issueMember(t.core, STAFF, { societyId: t.society.id, member: { name: '他人 花子', kana: 'タニン ハナコ', birthDate: '1980-01-01' } })).member;
    const mine = [await signedIn(memberId), await signedIn(memberId), await signedIn(memberId)];
    const theirs = await signedIn(other.id);
    const acting = { societyId: t.society.id, memberId, ip: '198.51.100.7' };
    // Another member's session, or one of another society, is not found: nothing ends.
    await expect(endMemberSession(t.core, acting, { sessionId: theirs.session.id })).rejects.toMatchObject({ code: 'SESSION_NOT_FOUND' });
    await expect(endMemberSession(t.core, { ...acting, societyId: t.society.id + 1 }, { sessionId: mine[1]!.session.id })).rejects.toMatchObject({ code: 'SESSION_NOT_FOUND' });
    expect((await loadSession(t.core, t.society.id, theirs.token)).status).toBe('valid');
    await endMemberSession(t.core, acting, { sessionId: mine[1]!.session.id });
    expect((await loadSession(t.core, t.society.id, mine[1]!.token)).status).toBe('missing');
    expect(await destroyOtherSessions(t.core, acting, { keepSessionId: mine[0]!.session.id })).toBe(1);
    expect((await loadSession(t.core, t.society.id, theirs.token)).status).toBe('valid');
    await destroySession(t.core, acting, { societyId: t.society.id, sessionId: mine[0]!.session.id });
    const userId = (await queryAudit(t.core, t.society.id, { action: 'logout' }))[0]!.memberUserId;
    const events = await queryAudit(t.core, t.society.id, {});
    for (const action of ['sessions.revoke_one', 'sessions.revoke', 'logout']) {
      expect(events.find((e) => e.action === action)).toMatchObject({ actorType: 'member', actor: userId, memberUserId: userId, ip: '198.51.100.7' });
    }
    // A logout without an acting member (an anonymous session, a login that ended) audits nothing.
    await destroySession(t.core, null, { societyId: t.society.id, sessionId: theirs.session.id });
    expect((await loadSession(t.core, t.society.id, theirs.token)).status).toBe('missing');
    expect((await queryAudit(t.core, t.society.id, { action: 'logout' })).length).toBe(1);
  });

  it('purges sessions past either deadline', async () => {
    await createSession(t.core, t.society.id, client);
    t.clock.advance(10 * MIN);
    const fresh = await createSession(t.core, t.society.id, client);
    t.clock.advance(25 * MIN);
    expect(await purgeExpiredSessions(t.core)).toBe(1);
    expect((await loadSession(t.core, t.society.id, fresh.token)).status).toBe('valid');
  });
});
