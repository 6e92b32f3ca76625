import { createHmac } from 'node:crypto';
import { TOTP_PARAMS } from './totp-params.js';

const MODULUS = 10 ** TOTP_PARAMS.digits;

/**
 * HOTP(K, C) from RFC 4226 §5.3, which RFC 6238 §4.2 uses with C = T: HMAC-SHA-1 over the
 * counter as 8 big-endian bytes, dynamic truncation to 31 bits, then modulo 10^6, left-padded
 * with zeros. node:crypto does the HMAC; the rest is the RFC's few lines, kept here rather than
 * in otplib so the verification window and replay rule stay in our own, visible code.
 */
export function hotpCode(key: Uint8Array, counter: number): string {
  if (!Number.isSafeInteger(counter) || counter < 0) {
    throw new TypeError(`HOTP counter must be a non-negative safe integer, got ${counter}`);
  }
  const message = Buffer.alloc(8);
  message.writeBigUInt64BE(BigInt(counter));
  const hs = createHmac('sha1', key).update(message).digest();
  // RFC 4226 §5.3 DT: the low 4 bits of the last byte select a 4-byte window; the top bit is
  // masked off so the value is the same whether read as signed or unsigned.
  const offset = hs[hs.length - 1]! & 0x0f;
  const binary = hs.readUInt32BE(offset) & 0x7fffffff;
  return String(binary % MODULUS).padStart(TOTP_PARAMS.digits, '0');
}
