import { KosmoError } from '../errors.js';
import { foldInput, hasControlChars } from '../util/normalize.js';

/** A device name or passkey label: required, at most 32 characters, no control characters. */
export function validateDeviceName(input: unknown): string {
  const name = typeof input === 'string' ? input.normalize('NFKC').trim() : foldInput(input);
  if (name === '') throw new KosmoError('DEVICE_NAME_REQUIRED');
  if (hasControlChars(name) || [...name].length > 32) throw new KosmoError('INPUT_INVALID', { field: 'device-name', reason: 'MAX_CHARS', max: 32 });
  return name;
}
