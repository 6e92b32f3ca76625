import { ScureBase32Plugin } from 'otplib';

/**
 * RFC 4648 §6 base32 via otplib's codec (backed by @scure/base). Kept in one place so every
 * module encodes and decodes the same way. @scure/base is strict: it refuses characters outside
 * A–Z2–7, impossible lengths and non-zero trailing bits, so a key that decodes is canonical.
 */
export const base32Codec = new ScureBase32Plugin();
