import { KosmoError, type ActingMember } from '../core/index.js';
import type { PortalContext } from './types.js';

/**
 * The member this request acts for, as the core's member commands take it: their society, their
 * id and the client address. Only for routes the login state lets through with a member; should
 * one run without (its session ended meanwhile), the member sees the session-expired page, not a
 * system error.
 */
export function actingMember(ctx: PortalContext): ActingMember {
  const member = ctx.state.member;
  if (!member) throw new KosmoError('SESSION_EXPIRED');
  return actingMemberOf(ctx, member.id);
}

/** The same for the member a session names, before the login state has loaded them (login-state.ts). */
export function actingMemberOf(ctx: PortalContext, memberId: number): ActingMember {
  return { societyId: ctx.state.society.id, memberId, ip: ctx.state.ip };
}
