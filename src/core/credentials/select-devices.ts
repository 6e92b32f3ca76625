import type { PasskeyRow, TotpDeviceRow } from '../db/entities/index.js';
import { KosmoError } from '../errors.js';

/** All devices, or one by its name as `kosmo member devices` lists it (`otp:` / `passkey:` may prefix it). */
export type DeviceSelector = { all: true } | { name: string };

export function selectDevices(otp: TotpDeviceRow[], passkeys: PasskeyRow[], selector: DeviceSelector): { otp: TotpDeviceRow[]; passkeys: PasskeyRow[] } {
  if ('all' in selector) return { otp, passkeys };
  const raw = selector.name.normalize('NFKC').trim();
  const m = /^(otp|passkey):(.+)$/i.exec(raw);
  const kind = m ? (m[1]!.toLowerCase() as 'otp' | 'passkey') : null;
  const name = m ? m[2]!.trim() : raw;
  const o = kind === 'passkey' ? [] : otp.filter((d) => d.name.normalize('NFKC') === name);
  const p = kind === 'otp' ? [] : passkeys.filter((d) => d.label.normalize('NFKC') === name);
  if (o.length && p.length) {
    throw new KosmoError('INPUT_INVALID', { field: 'device', reason: 'DEVICE_NAME_AMBIGUOUS', name });
  }
  return { otp: o, passkeys: p };
}
