import { Member, Society } from '../db/entities/index.js';
import type { ActingMember } from '../actor.js';
import type { CoreContext } from '../context.js';
import { buildOtpauthUri, formatTotpKey, generateTotpSecret, totpQrSvg } from '../credentials/totp/index.js';
import { totpSealContext } from './totp-seal-context.js';

export interface TotpSetup {
  /** Sealed seed for the session until the first code confirms it (never stored in plain text). */
  secretEnc: string;
  /** The key grouped for reading (`スキャンできませんか?`). */
  displayKey: string;
  otpauthUri: string;
  qrSvg: string;
}

/**
 * ワンタイムパスワードの設定 (§2.6): a fresh 160-bit seed, its otpauth URI (issuer = society name,
 * account = user ID; Key Uri Format) and a QR code made here, never by an outside service.
 */
export async function beginTotpSetup(core: CoreContext, acting: ActingMember): Promise<TotpSetup> {
  const { societyId, memberId } = acting;
  const em = core.db.em();
  const member = await em.findOneOrFail(Member, { id: memberId, society: societyId });
  const society = await em.findOneOrFail(Society, { id: societyId });
  const secret = generateTotpSecret(core.random);
  const otpauthUri = buildOtpauthUri({ issuer: society.name, account: member.userId, secret });
  return {
    secretEnc: core.secretBox.seal(secret, totpSealContext(societyId, memberId)),
    displayKey: formatTotpKey(secret),
    otpauthUri,
    qrSvg: await totpQrSvg(otpauthUri),
  };
}

/** The same set-up again from the sealed seed (a re-rendered page after a wrong code keeps its QR). */
export async function resumeTotpSetup(core: CoreContext, acting: ActingMember, secretEnc: string): Promise<TotpSetup> {
  const { societyId, memberId } = acting;
  const em = core.db.em();
  const member = await em.findOneOrFail(Member, { id: memberId, society: societyId });
  const society = await em.findOneOrFail(Society, { id: societyId });
  const secret = core.secretBox.open(secretEnc, totpSealContext(societyId, memberId));
  const otpauthUri = buildOtpauthUri({ issuer: society.name, account: member.userId, secret });
  return { secretEnc, displayKey: formatTotpKey(secret), otpauthUri, qrSvg: await totpQrSvg(otpauthUri) };
}
