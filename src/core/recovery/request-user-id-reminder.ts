import { Member } from '../db/entities/index.js';
import type { CoreContext } from '../context.js';
import { KosmoError, KosmoValidationError, type ErrorCode } from '../errors.js';
import { recordAudit } from '../audit/record-audit.js';
import { parseBirthDate } from '../accounts/birth-date.js';
import { validateEmail } from '../accounts/email.js';
import { enqueueMail } from '../mail/enqueue-mail.js';
import { accountSubject, clientSubject, MAILS_PER_ACCOUNT, REQUESTS_PER_CLIENT, takeRecoverySlot } from './recovery-limits.js';

const ACTION = 'recovery.user_id_request';

/**
 * ユーザIDを忘れた方はこちら (§2.11): birth date + registered address. The page says a mail was sent
 * either way; the mail with the user ID goes only where both match an enabled member.
 * A malformed date or address is reported, both at once when both are (it reveals nothing about
 * accounts).
 */
export async function requestUserIdReminder(core: CoreContext, societyId: number, input: { birthDate: unknown; email: unknown; ip: string | null }): Promise<void> {
  const codes: ErrorCode[] = [];
  const check = <T>(parse: () => T): T | null => {
    try {
      return parse();
    } catch (err) {
      if (err instanceof KosmoValidationError) codes.push(...err.codes);
      else if (err instanceof KosmoError) codes.push(err.code);
      else throw err;
      return null;
    }
  };
  const birthDate = check(() => parseBirthDate(input.birthDate, core.clock.now()));
  const email = check(() => validateEmail(input.email));
  if (codes.length > 0 || birthDate === null || email === null) throw new KosmoValidationError(codes);
  if (input.ip && !(await takeRecoverySlot(core, societyId, clientSubject(ACTION, input.ip), REQUESTS_PER_CLIENT))) throw new KosmoError('RATE_LIMITED');
  const member = await core.db.em().findOne(Member, { society: societyId, email, birthDate, status: { $ne: 'disabled' } });
  const mayMail = member ? await takeRecoverySlot(core, societyId, accountSubject(ACTION, member.id), MAILS_PER_ACCOUNT) : false;
  await core.db.em().transactional(async (em) => {
    const anonymous = { type: 'anonymous' as const, ip: input.ip };
    if (!member || !mayMail) {
      recordAudit(em, core.clock, { societyId, actor: anonymous, action: ACTION, outcome: 'failure', member: member ?? null, details: { reason: member ? 'rate_limited' : 'no_match' } });
      return;
    }
    await enqueueMail(em, core, { societyId, memberId: member.id, to: email, template: 'user-id-reminder', vars: { memberName: member.name, userId: member.userId } });
    recordAudit(em, core.clock, { societyId, actor: anonymous, action: ACTION, member });
  });
}
