import { describe, it, expect } from 'vitest';
import { actingMember, actingMemberOf } from '../../src/portal/acting-member.js';
import type { PortalContext } from '../../src/portal/types.js';

function ctxWith(member: { id: number } | null): PortalContext {
  return { state: { society: { id: 7 }, member, ip: '192.0.2.9' } } as unknown as PortalContext;
}

describe('actingMember (who a member route acts for)', () => {
  it('is the society, the member and the client address of the request', () => {
    expect(actingMember(ctxWith({ id: 42 }))).toEqual({ societyId: 7, memberId: 42, ip: '192.0.2.9' });
    // The member a session names, before the login state loads them: the same society and address.
    expect(actingMemberOf(ctxWith(null), 43)).toEqual({ societyId: 7, memberId: 43, ip: '192.0.2.9' });
  });

  it('without a member, is the session-expired error (a page for the member), not a system error', () => {
    expect(() => actingMember(ctxWith(null))).toThrow(expect.objectContaining({ code: 'SESSION_EXPIRED', kind: 'unauthenticated' }));
  });
});
