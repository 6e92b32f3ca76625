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
  return { societyId: ctx.state.society.id, memberId: member.id, ip: ctx.state.ip };
}
