import type { CoreContext } from '../context.js';
import { auditedTransaction } from '../audit/insert-audit.js';
import { memberActor } from '../auth/member-actor.js';

/** What a member did with a service's sign-in request. */
export type OidcMemberEvent = 'signin' | 'consent' | 'deny';

/**
 * A member's single sign-on event in the audit log (DESIGN.md §4: every member security event):
 * `oidc.signin` when the portal hands the member to a service's request, `oidc.consent` /
 * `oidc.deny` on the consent page. The client id only; never a code or token.
 */
export async function auditOidcMemberEvent(
  core: CoreContext,
  societyId: number,
  member: { id: number; userId: string },
  event: OidcMemberEvent,
  input: { clientId: string; ip: string | null },
): Promise<void> {
  await auditedTransaction(core, async (tx) => {
    await tx.audit({
      societyId,
      actor: memberActor(member, input.ip),
      action: `oidc.${event}`,
      outcome: event === 'deny' ? 'failure' : 'success',
      member,
      details: { clientId: input.clientId.slice(0, 64) },
    });
  });
}
